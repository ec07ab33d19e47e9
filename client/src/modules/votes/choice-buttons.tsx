import { CHOICE_IDS, type Choice } from '@yishi/shared';
import { useTranslation } from 'react-i18next';

/**
 * The three choices as large toggle buttons, one pressed at a time: the same on a resident's own
 * ballot and on a paper ballot a gate leader enters for someone, so both read alike.
 */
export function ChoiceButtons({
  choice,
  onChoose,
  testIdPrefix,
  label,
}: {
  choice: Choice | null;
  onChoose: (c: Choice) => void;
  /** `choose` on the resident's ballot, `paper` on the paper-ballot form. */
  testIdPrefix: string;
  label?: string;
}) {
  const { t } = useTranslation();
  return (
    <div className="choices" {...(label ? { role: 'group', 'aria-label': label } : {})}>
      {CHOICE_IDS.map((c) => (
        <button
          key={c}
          type="button"
          className={`choice-button choice-${c}`}
          aria-pressed={choice === c}
          onClick={() => onChoose(c)}
          data-testid={`${testIdPrefix}-${c}`}
        >
          {/* The mark and the word wrap as whole pieces: the word itself never breaks (赞/成). */}
          <span aria-hidden="true">{choice === c ? '●' : '○'}</span>
          <span className="choice-label">{t(`vote.${c}`)}</span>
        </button>
      ))}
    </div>
  );
}
