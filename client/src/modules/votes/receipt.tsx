import QRCode from 'qrcode';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from '../../components/link';
import { pathTo } from '../../lib/routes';

/**
 * The receipt as a person can read it aloud or copy onto paper: its first 8 hex digits, upper
 * case, in two groups ("3F9A·C21B"). The link and the QR code carry the whole hash, which is
 * what the server checks.
 */
export function shortReceipt(receipt: string): string {
  const head = receipt.slice(0, 8).toUpperCase();
  return `${head.slice(0, 4)}·${head.slice(4)}`;
}

/** The QR code as one SVG path of its dark modules: drawn by React, no markup from a string. */
export function QrCode({ text }: { text: string }) {
  const { size, path } = useMemo(() => {
    const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
    let d = '';
    for (let y = 0; y < modules.size; y++) for (let x = 0; x < modules.size; x++) if (modules.get(x, y)) d += `M${x + 4} ${y + 4}h1v1h-1z`;
    // Four modules of quiet zone on every side, as scanners expect.
    return { size: modules.size + 8, path: d };
  }, [text]);
  return (
    <svg className="qr" viewBox={`0 0 ${size} ${size}`} aria-hidden="true" shapeRendering="crispEdges">
      <rect width={size} height={size} fill="#ffffff" />
      <path d={path} fill="#000000" />
    </svg>
  );
}

/** A cast ballot's receipt: the short code, a QR code and a link to the check page, the full hash one tap away. */
export function Receipt({ compoundId, roundId, receipt }: { compoundId: string; roundId: string; receipt: string }) {
  const { t } = useTranslation();
  const to = pathTo('receipt', { compoundId, roundId, receipt });
  return (
    <div className="receipt">
      <p className="receipt-code">
        {t('vote.receiptShort')}{' '}
        <strong className="hash-short" data-testid="receipt">
          {shortReceipt(receipt)}
        </strong>
      </p>
      <div className="receipt-row">
        <Link to={to} className="receipt-qr" data-testid="receipt-link" aria-label={t('vote.receiptOpen')}>
          <QrCode text={`${window.location.origin}${to}`} />
        </Link>
        <details className="receipt-full">
          <summary className="button-link">{t('vote.receiptFull')}</summary>
          <p className="hash" data-testid="receipt-full">
            {receipt}
          </p>
        </details>
      </div>
    </div>
  );
}
