import { ERRORS, type ImportReport } from '@yishi/shared';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert, ErrorAlert, Notice } from '../components/alert';
import { CheckboxField, TextField } from '../components/fields';
import { PageHeading } from '../components/page-heading';
import { TableScroll } from '../components/table-scroll';
import { api } from '../lib/api';
import { catalogueLanguage } from '../lib/i18n';

function ReportView({ report }: { report: ImportReport }) {
  const { t } = useTranslation();
  const counts: [string, number][] = [
    [t('register.rows'), report.rows],
    [t('register.householdsCreated'), report.households.created],
    [t('register.householdsUpdated'), report.households.updated],
    [t('register.householdsUnchanged'), report.households.unchanged],
    [t('register.ownersCreated'), report.owners.created],
    [t('register.ownersUpdated'), report.owners.updated],
    [t('register.buildingsCreated'), report.buildings.created],
    [t('register.gatesCreated'), report.gates.created],
  ];

  return (
    <section className="card" aria-labelledby="import-report-title" data-testid="import-report">
      <h2 id="import-report-title">{report.dryRun ? t('register.dryRunTitle') : t('register.importTitle')}</h2>
      {report.ok ? (
        <Notice testId="import-ok">{report.dryRun ? t('register.dryRunOk') : t('register.importOk')}</Notice>
      ) : (
        <Alert testId="import-invalid">{ERRORS.IMPORT_INVALID[catalogueLanguage()]}</Alert>
      )}
      <dl className="facts">
        {counts.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      {report.errors.length > 0 && (
        <>
          <h3>{t('register.errorsTitle', { n: report.errors.length })}</h3>
          <TableScroll label={t('register.errorsTitle', { n: report.errors.length })}>
            <table data-testid="import-errors">
              <thead>
                <tr>
                  <th scope="col" className="number">
                    {t('register.line')}
                  </th>
                  <th scope="col">{t('register.reason')}</th>
                  <th scope="col">{t('register.message')}</th>
                </tr>
              </thead>
              <tbody>
                {report.errors.map((e, i) => (
                  <tr key={`${e.line}-${i}`}>
                    <th scope="row" className="number">
                      {e.line}
                    </th>
                    <td>{t(`register.reasons.${e.reason}`, { defaultValue: e.reason })}</td>
                    <td>{e.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        </>
      )}
    </section>
  );
}

export default function RegisterImportPage({ compoundId }: { compoundId: string }) {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [createBuildings, setCreateBuildings] = useState(false);
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [missingFile, setMissingFile] = useState(false);

  const run = async (dryRun: boolean) => {
    if (!file) {
      setMissingFile(true);
      return;
    }
    setBusy(true);
    setError(null);
    setReport(null);
    try {
      setReport(await api.importRegister(compoundId, file, dryRun, createBuildings));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    // Enter in the form checks; importing for real always takes the explicit button.
    void run(true);
  };

  return (
    <>
      <PageHeading title={t('register.title')}>{t('register.title')}</PageHeading>
      <p>{t('register.intro')}</p>
      <form onSubmit={submit} noValidate>
        <TextField
          label={t('register.file')}
          type="file"
          accept=".csv,text/csv"
          onChange={(e) => {
            setFile(e.target.files?.[0] ?? null);
            setMissingFile(false);
            setReport(null);
          }}
          error={missingFile ? t('register.chooseFile') : undefined}
          data-testid="register-file"
        />
        <CheckboxField
          label={t('register.createBuildings')}
          checked={createBuildings}
          onChange={(e) => setCreateBuildings(e.target.checked)}
          data-testid="register-create-buildings"
        />
        <div className="button-row">
          <button type="submit" disabled={busy} data-testid="register-dry-run">
            {t('register.dryRun')}
          </button>
          <button type="button" className="button-primary" disabled={busy} onClick={() => void run(false)} data-testid="register-import">
            {t('register.import')}
          </button>
        </div>
      </form>
      {busy && <p role="status">{t('register.working')}</p>}
      {error !== null && <ErrorAlert error={error} />}
      {report && <ReportView report={report} />}
    </>
  );
}
