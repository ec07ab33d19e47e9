import { EditorContent } from '@tiptap/react';
import { absolutePositionToRelativePosition, ySyncPluginKey } from '@tiptap/y-tiptap';
import { allows, DOC_BODY_FIELD, isFinalStatus, readFundingLines, type ProposalView, type Role } from '@yishi/shared';
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import * as Y from 'yjs';
import { Alert } from '../../components/alert';
import { Link } from '../../components/link';
import { ReadAloud } from '../../components/read-aloud';
import { api } from '../../lib/api';
import { useErrorText } from '../../lib/errors';
import { CommandError } from '../../lib/realtime';
import { pathTo } from '../../lib/routes';
import { FundingTable } from '../funding/funding-table';
import { SignOffPanel } from '../funding/sign-off-panel';
import { anchorRange, anchorsKey, CommentAnchors, toBase64 } from './comment-anchors';
import { Thread } from './comment-thread';
import { EditRightsPanel } from './edit-rights-panel';
import { DocStatusLine } from './doc-status-line';
import { Toolbar } from './editor-toolbar';
import { useCollab } from './use-collab';
import { useCollabEditor } from './use-collab-editor';
import { useComments } from './use-comments';

export interface WorkspaceProps {
  compoundId: string;
  proposal: ProposalView;
  roles: readonly Role[];
  userName: string;
  /** Shown beside the text (the chair's freeze button, the funding table). */
  actions?: ReactNode;
  /** A link to the proposal's revisions and votes; not on the proposal's own page, which has them as a tab. */
  historyLink?: boolean;
}

/** The proposal's co-edited text with live carets, and its anchored comments. Loaded lazily. */
export default function ProposalWorkspace({ compoundId, proposal, roles, userName, actions, historyLink = true }: WorkspaceProps) {
  const { t } = useTranslation();
  const { message } = useErrorText();
  const { collab, status, error, quarantined } = useCollab(proposal.id);
  const { comments, reload } = useComments(compoundId, proposal.id);
  /** A new thread: about a range of the text (anchor) or about a funding line. */
  const [draft, setDraft] = useState<{
    anchor?: { start: string; end: string; quote: string };
    fundingLineId?: string;
    quote: string;
  } | null>(null);
  const [body, setBody] = useState('');
  const [hint, setHint] = useState<string | null>(null);
  const [postError, setPostError] = useState<string | null>(null);
  const canComment = allows(roles, 'comment.write');

  const editor = useCollabEditor(collab, userName, status.canEdit, { testId: 'proposal-editor', extensions: [CommentAnchors] });

  // Highlight what open threads are about; again after every change, as remote edits move text.
  useEffect(() => {
    if (!editor) return;
    const open = comments.filter((c) => c.parentId === null && !c.resolved && c.anchor);
    const paint = () => {
      const ranges = open.flatMap((c) => anchorRange(editor, c.anchor!) ?? []);
      if (!editor.isDestroyed) editor.view.dispatch(editor.state.tr.setMeta(anchorsKey, ranges));
    };
    paint();
    editor.on('update', paint);
    return () => {
      editor.off('update', paint);
    };
  }, [editor, comments, status.synced]);

  const startComment = () => {
    if (!editor) return;
    const { from, to } = editor.state.selection;
    const binding = ySyncPluginKey.getState(editor.state)?.binding;
    if (from === to || !binding) {
      setHint(t('editor.selectFirst'));
      return;
    }
    const type = collab.doc.getXmlFragment(DOC_BODY_FIELD);
    const start = Y.encodeRelativePosition(absolutePositionToRelativePosition(from, type, binding.mapping));
    const end = Y.encodeRelativePosition(absolutePositionToRelativePosition(to, type, binding.mapping));
    setHint(null);
    const quote = editor.state.doc.textBetween(from, to, ' ').slice(0, 1000);
    setDraft({ anchor: { start: toBase64(start), end: toBase64(end), quote }, quote });
  };

  const post = async (e: FormEvent) => {
    e.preventDefault();
    setPostError(null);
    try {
      await api.comment(compoundId, proposal.id, { body, anchor: draft?.anchor, fundingLineId: draft?.fundingLineId });
      setBody('');
      setDraft(null);
      reload();
    } catch (err) {
      setPostError(message(err));
    }
  };

  const roots = comments.filter((c) => c.parentId === null);
  const repliesOf = (threadId: string) => comments.filter((c) => c.threadId === threadId && c.parentId !== null);
  const readText = () => editor?.getText({ blockSeparator: '\n' }) ?? '';

  return (
    <div className="workspace">
      <div className="button-row">
        <ReadAloud text={readText} label={t('editor.readAloud')} stopLabel={t('editor.stopReading')} testId="read-proposal" />
        {historyLink && (
          <Link
            to={pathTo('proposalHistory', { compoundId, proposalId: proposal.id })}
            className="button-link"
            data-testid="proposal-history-link"
          >
            {t('editor.history')}
          </Link>
        )}
        {actions}
      </div>
      {status.synced && !status.canEdit && (
        <p className="muted" data-testid="read-only-note">
          {proposal.status === 'adopted'
            ? t('lifecycle.final')
            : proposal.status === 'passed'
              ? t('lifecycle.passedWaiting')
              : isFinalStatus(proposal.status)
                ? t('lifecycle.closedState')
                : t('editor.readOnly')}
        </p>
      )}
      {editor && status.canEdit && <Toolbar editor={editor} />}
      <div className="editor-surface">{editor ? <EditorContent editor={editor} /> : <p role="status">{t('editor.loading')}</p>}</div>
      <DocStatusLine status={status} />
      {error && <Alert>{message(new CommandError(error, ''))}</Alert>}
      {quarantined > 0 && <Alert>{t('editor.quarantined', { n: quarantined })}</Alert>}

      <FundingTable
        doc={collab.doc}
        compoundId={compoundId}
        canEdit={status.canEdit}
        onComment={canComment ? (line) => setDraft({ fundingLineId: line.id, quote: line.description }) : undefined}
        commentCounts={roots.reduce<Record<string, number>>(
          (n, r) => (r.fundingLineId && !r.resolved ? { ...n, [r.fundingLineId]: (n[r.fundingLineId] ?? 0) + 1 } : n),
          {},
        )}
      />
      <SignOffPanel
        compoundId={compoundId}
        proposalId={proposal.id}
        roles={roles}
        refreshKey={`${proposal.status}:${proposal.revisions.length}`}
      />
      <EditRightsPanel compoundId={compoundId} proposalId={proposal.id} status={proposal.status} roles={roles} />

      <section aria-labelledby="comments-h" data-testid="comments">
        <h3 id="comments-h">{t('comments.title')}</h3>
        {canComment && (
          <>
            <button type="button" onMouseDown={(e) => e.preventDefault()} onClick={startComment} data-testid="comment-start">
              {t('editor.comment')}
            </button>
            {hint && <p className="field-error">{hint}</p>}
            {draft && (
              <form onSubmit={post} data-testid="comment-form">
                <p className="muted">
                  {draft.fundingLineId ? t('comments.onFundingLine', { line: draft.quote }) : t('comments.quote', { quote: draft.quote })}
                </p>
                <label htmlFor="comment-body">{t('comments.new')}</label>
                <textarea
                  id="comment-body"
                  value={body}
                  maxLength={4000}
                  onChange={(e) => setBody(e.target.value)}
                  data-testid="comment-input"
                />
                <div className="button-row">
                  <button type="submit" className="button-primary" disabled={!body.trim()} data-testid="comment-submit">
                    {t('comments.post')}
                  </button>
                  <button type="button" className="button-quiet" onClick={() => setDraft(null)}>
                    {t('comments.cancel')}
                  </button>
                </div>
              </form>
            )}
            {postError && <Alert>{postError}</Alert>}
          </>
        )}
        {roots.length === 0 ? (
          <p>{t('comments.empty')}</p>
        ) : (
          <ul className="plain-list">
            {roots.map((r) => (
              <Thread
                key={r.id}
                fundingLabel={(id) => readFundingLines(collab.doc).find((l) => l.id === id)?.description ?? id}
                root={r}
                replies={repliesOf(r.threadId)}
                editor={editor}
                onChange={reload}
                compoundId={compoundId}
                proposalId={proposal.id}
                canWrite={canComment}
              />
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
