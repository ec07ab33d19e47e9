import type { Editor } from '@tiptap/react';
import type { CommentView } from '@yishi/shared';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert } from '../../components/alert';
import { api } from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import { useAction } from '../../lib/use-action';
import { anchorRange } from './comment-anchors';

/** One comment thread: what it is about (a quote to jump to, or a funding line), its replies, reply and resolve. */
export function Thread({
  root,
  replies,
  editor,
  onChange,
  compoundId,
  proposalId,
  canWrite,
  fundingLabel,
}: {
  /** The description of a funding line, for threads about one. */
  fundingLabel: (lineId: string) => string;
  root: CommentView;
  replies: CommentView[];
  editor: Editor | null;
  onChange: () => void;
  compoundId: string;
  proposalId: string;
  canWrite: boolean;
}) {
  const { t } = useTranslation();
  const [reply, setReply] = useState('');
  const action = useAction();
  const { error, busy } = action;
  const act = async (fn: () => Promise<unknown>) => {
    const ok = await action.act(fn);
    if (ok) onChange();
    return ok;
  };
  const sendReply = async (e: FormEvent) => {
    e.preventDefault();
    if (await act(() => api.reply(compoundId, proposalId, root.threadId, reply))) setReply('');
  };
  const showInText = () => {
    const range = editor && root.anchor ? anchorRange(editor, root.anchor) : null;
    if (editor && range) editor.chain().focus().setTextSelection(range).scrollIntoView().run();
  };
  const replyId = `reply-${root.threadId}`;

  return (
    <li className={`thread${root.resolved ? ' thread-resolved' : ''}`} data-testid="comment-thread">
      {root.fundingLineId ? (
        <p className="muted" data-testid="comment-funding-line">
          {t('comments.onFundingLine', { line: fundingLabel(root.fundingLineId) })}
        </p>
      ) : root.anchor?.quote ? (
        <blockquote>
          <button type="button" className="button-quiet" onClick={showInText} data-testid="comment-quote">
            {t('comments.quote', { quote: root.anchor.quote })}
          </button>
        </blockquote>
      ) : (
        <p className="muted">{t('comments.general')}</p>
      )}
      <p>
        <strong>{root.authorName}</strong> <span className="muted">{formatDateTime(root.createdAt)}</span>
      </p>
      <p data-testid="comment-body">{root.body}</p>
      {replies.map((r) => (
        <div key={r.id} className="reply" data-testid="comment-reply">
          <p>
            <strong>{r.authorName}</strong> <span className="muted">{formatDateTime(r.createdAt)}</span>
          </p>
          <p>{r.body}</p>
        </div>
      ))}
      {root.resolved && <p className="quorum-met">{t('comments.resolved')}</p>}
      {canWrite && (
        <>
          <form onSubmit={sendReply}>
            <label htmlFor={replyId}>{t('comments.replyLabel', { name: root.authorName })}</label>
            <textarea id={replyId} value={reply} maxLength={4000} onChange={(e) => setReply(e.target.value)} data-testid="reply-input" />
            <div className="button-row">
              <button type="submit" disabled={busy || !reply.trim()} data-testid="reply-submit">
                {t('comments.postReply')}
              </button>
              <button
                type="button"
                className="button-quiet"
                disabled={busy}
                onClick={() => void act(() => api.resolveThread(compoundId, proposalId, root.threadId, !root.resolved))}
              >
                {root.resolved ? t('comments.reopen') : t('comments.resolve')}
              </button>
            </div>
          </form>
        </>
      )}
      {error && <Alert>{error}</Alert>}
    </li>
  );
}
