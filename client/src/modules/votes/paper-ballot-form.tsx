import { normalisePaperCode, parsePaperQr, type Choice, type PaperHouseholdView, type RoundView } from '@yishi/shared';
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert } from '../../components/alert';
import { api } from '../../lib/api';
import { useErrorText } from '../../lib/errors';
import { saveFile } from '../../lib/save-file';
import { ChoiceButtons } from './choice-buttons';

/**
 * Reads the QR code on a ballot paper from a photo taken with the phone's camera. A file input
 * with `capture` works on every phone and on plain-http LAN addresses (where live camera access
 * is not allowed); the decoder is loaded only when a photo is chosen.
 */
async function readPaperQr(file: File): Promise<{ householdId: string; code: string } | null> {
  try {
    const bitmap = await createImageBitmap(file);
    // QR codes need few pixels: scale big photos down to keep decoding quick on old phones.
    const scale = Math.min(1, 1600 / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
    ctx.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    bitmap.close();
    const { default: jsQR } = await import('jsqr');
    const image = ctx.getImageData(0, 0, canvas.width, canvas.height);
    const found = jsQR(image.data, image.width, image.height);
    return found ? parsePaperQr(found.data) : null;
  } catch {
    return null;
  }
}

/**
 * A gate leader or the chair prints ballot papers for households that are not online, and enters
 * the signed papers that come back: the household, the paper's one-time code (typed, or read from
 * the QR code in a photo), who signed it, the choice ticked, and a photo of the signed paper.
 */
export function PaperBallotForm({ compoundId, round }: { compoundId: string; round: RoundView }) {
  const { t } = useTranslation();
  const { message } = useErrorText();
  const [households, setHouseholds] = useState<PaperHouseholdView[]>([]);
  const [householdId, setHouseholdId] = useState('');
  const [code, setCode] = useState('');
  const [signerId, setSignerId] = useState('');
  const [choice, setChoice] = useState<Choice | null>(null);
  const [photo, setPhoto] = useState<File | null>(null);
  const [scan, setScan] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // The error text function changes every render; the loader must not.
  const messageRef = useRef(message);
  messageRef.current = message;
  const load = useCallback(() => {
    api.ballotPapers(compoundId, round.id).then(setHouseholds, (e: unknown) => setError(messageRef.current(e)));
  }, [compoundId, round.id]);
  useEffect(load, [load]);

  const household = households.find((h) => h.householdId === householdId) ?? null;
  const printable = households.filter((h) => !h.refused && h.ballot !== 'online');
  const codeOk = normalisePaperCode(code) !== null;

  const chooseHousehold = (id: string) => {
    setHouseholdId(id);
    const [only, ...others] = households.find((x) => x.householdId === id)?.signers ?? [];
    setSignerId(only && others.length === 0 ? only.id : '');
  };

  const print = async (ids: string[]) => {
    setError(null);
    setBusy(true);
    try {
      saveFile(await api.printBallotPapers(compoundId, round.id, ids), t('paper.fileName', { n: round.number }));
      load();
    } catch (e) {
      setError(message(e));
    } finally {
      setBusy(false);
    }
  };

  /** A photo of the paper, or of just its QR code: fill in the household and the code from it. */
  const scanFrom = async (file: File | null, keepAsPhoto: boolean) => {
    if (keepAsPhoto) setPhoto(file);
    if (!file) return;
    const found = await readPaperQr(file);
    if (!found) {
      setScan(keepAsPhoto ? null : t('paper.scanFailed'));
      return;
    }
    if (!households.some((h) => h.householdId === found.householdId)) {
      setScan(t('paper.scanOther'));
      return;
    }
    chooseHousehold(found.householdId);
    setCode(found.code);
    setScan(t('paper.scanned', { label: households.find((h) => h.householdId === found.householdId)!.label }));
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!household || !photo || !choice || !codeOk || !signerId) return;
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      await api.paperBallot(
        compoundId,
        round.id,
        { ballotId: crypto.randomUUID(), householdId, revisionId: round.revisionId, choice, code, signerId },
        photo,
      );
      setDone(t('paper.done', { label: household.label, choice: t(`vote.${choice}`) }));
      setHouseholdId('');
      setCode('');
      setSignerId('');
      setChoice(null);
      setPhoto(null);
      setScan(null);
      load();
    } catch (err) {
      setError(message(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <details className="card" data-testid="paper-ballot">
      <summary className="button-link">{t('paper.title')}</summary>
      <h4>{t('paper.printTitle')}</h4>
      <p className="muted">{t('paper.printHint')}</p>
      <div className="button-row">
        <button
          type="button"
          disabled={busy || printable.length === 0}
          onClick={() => void print(printable.map((h) => h.householdId))}
          data-testid="paper-print-all"
        >
          {t('paper.printAll', { n: printable.length })}
        </button>
        {household && !household.refused && (
          <button
            type="button"
            className="button-quiet"
            disabled={busy}
            onClick={() => void print([household.householdId])}
            data-testid="paper-print-one"
          >
            {t('paper.printOne', { label: household.label })}
          </button>
        )}
      </div>

      <form onSubmit={submit}>
        <h4>{t('paper.enterTitle')}</h4>
        <div className="field">
          <label htmlFor="paper-scan">{t('paper.scan')}</label>
          <input
            id="paper-scan"
            type="file"
            accept="image/*"
            capture="environment"
            onChange={(e) => void scanFrom(e.target.files?.[0] ?? null, false)}
            data-testid="paper-scan"
          />
          {scan && (
            <p role="status" className="field-hint" data-testid="paper-scan-result">
              {scan}
            </p>
          )}
        </div>
        <div className="field">
          <label htmlFor="paper-household">{t('vote.assistedHousehold')}</label>
          <select id="paper-household" value={householdId} onChange={(e) => chooseHousehold(e.target.value)} data-testid="paper-household">
            <option value="">{t('vote.chooseHousehold')}</option>
            {households.map((h) => (
              <option key={h.householdId} value={h.householdId} disabled={!!h.refused}>
                {h.label}
                {h.refused
                  ? t('common.note', { note: t(`paper.refused.${h.refused}`) })
                  : h.ballot === 'online'
                    ? t('common.note', { note: t('paper.votedOnline') })
                    : h.ballot === 'paper'
                      ? t('common.note', { note: t('paper.enteredAlready') })
                      : ''}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="paper-code">{t('paper.code')}</label>
          <input
            id="paper-code"
            className="code-input"
            value={code}
            onChange={(e) => setCode(e.target.value.toUpperCase())}
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            maxLength={20}
            placeholder="XXXXX-XXXXX"
            aria-describedby="paper-code-hint"
            aria-invalid={code !== '' && !codeOk}
            data-testid="paper-code"
          />
          <p id="paper-code-hint" className="field-hint">
            {t('paper.codeHint')}
          </p>
        </div>
        {household && (
          <div className="field">
            <label htmlFor="paper-signer">{t('paper.signer')}</label>
            <select id="paper-signer" value={signerId} onChange={(e) => setSignerId(e.target.value)} data-testid="paper-signer">
              <option value="">{t('paper.chooseSigner')}</option>
              {household.signers.map((s) => (
                <option key={s.id} value={s.id}>
                  {t('common.withNote', { text: s.name, note: t(`paper.signerAs.${s.as}`) })}
                </option>
              ))}
            </select>
          </div>
        )}
        <fieldset className="field">
          <legend>{t('vote.assistedChoice')}</legend>
          <ChoiceButtons choice={choice} onChoose={setChoice} testIdPrefix="paper" />
        </fieldset>
        <div className="field">
          <label htmlFor="paper-photo">{t('vote.photo')}</label>
          <input
            id="paper-photo"
            type="file"
            accept="image/*"
            capture="environment"
            aria-describedby="paper-photo-hint"
            onChange={(e) => void scanFrom(e.target.files?.[0] ?? null, true)}
            data-testid="paper-photo"
          />
          <p id="paper-photo-hint" className="field-hint">
            {t('paper.photoHint')}
          </p>
        </div>
        <button
          type="submit"
          className="button-primary"
          disabled={busy || !household || !photo || !choice || !codeOk || !signerId}
          data-testid="paper-submit"
        >
          {t('vote.assistedSubmit')}
        </button>
        {done && (
          <p role="status" className="quorum-met" data-testid="paper-done">
            {done}
          </p>
        )}
        {error && <Alert>{error}</Alert>}
      </form>
    </details>
  );
}
