import { Extension } from '@tiptap/core';
import Collaboration from '@tiptap/extension-collaboration';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import { EditorContent, useEditor, useEditorState, type Editor } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import { absolutePositionToRelativePosition, relativePositionToAbsolutePosition, ySyncPluginKey } from '@tiptap/y-tiptap';
import { allows, DOC_BODY_FIELD, isFinalStatus, presenceColour, readFundingLines, SocketIOProvider, type CommentView, type ProposalView, type Role } from '@yishi/shared';
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert } from '../../components/alert';
import { FundingTable } from '../funding/funding-table';
import { useAction } from '../../lib/use-action';
import { SignOffPanel } from '../funding/sign-off-panel';
import { EditRightsPanel } from './edit-rights-panel';
import { Link } from '../../components/link';
import { ReadAloud } from '../../components/read-aloud';
import { api } from '../../lib/api';
import { useErrorText } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { CommandError, getSocket } from '../../lib/realtime';
import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';


const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const fromBase64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

/** Highlights the ranges open comment threads are anchored to. */
const anchorsKey = new PluginKey<DecorationSet>('comment-anchors');
const CommentAnchors = Extension.create({
  name: 'commentAnchors',
  addProseMirrorPlugins() {
    return [
      new Plugin<DecorationSet>({
        key: anchorsKey,
        state: {
          init: () => DecorationSet.empty,
          apply(tr, set) {
            const ranges = tr.getMeta(anchorsKey) as Array<{ from: number; to: number }> | undefined;
            if (ranges) return DecorationSet.create(tr.doc, ranges.map((r) => Decoration.inline(r.from, r.to, { class: 'comment-anchor' })));
            return set.map(tr.mapping, tr.doc);
          },
        },
        props: { decorations: (state) => anchorsKey.getState(state) },
      }),
    ];
  },
});

/** Where an anchor stands in the editor now, or null once its text is gone. */
function anchorRange(editor: Editor, anchor: { start: string; end: string }): { from: number; to: number } | null {
  const binding = ySyncPluginKey.getState(editor.state)?.binding;
  if (!binding) return null;
  const at = (b64: string) => relativePositionToAbsolutePosition(binding.doc, binding.type, Y.decodeRelativePosition(fromBase64(b64)), binding.mapping);
  const from = at(anchor.start);
  const to = at(anchor.end);
  return from !== null && to !== null && to > from ? { from, to } : null;
}

interface Collab {
  doc: Y.Doc;
  awareness: Awareness;
}

interface DocStatus {
  synced: boolean;
  canEdit: boolean;
  pending: number;
}

/**
 * The Y.Doc lives as long as the screen does, not as long as the connection: edits made while
 * offline stay in it, and the provider sends what the server lacks once the socket is back.
 */
function useCollab(docId: string): { collab: Collab; status: DocStatus; error: string | null; quarantined: number } {
  const [collab] = useState<Collab>(() => {
    const doc = new Y.Doc();
    return { doc, awareness: new Awareness(doc) };
  });
  const [status, setStatus] = useState<DocStatus>({ synced: false, canEdit: false, pending: 0 });
  const [error, setError] = useState<string | null>(null);
  // Sent to the compound's chairs when stored edits of this document could not be loaded.
  const [quarantined, setQuarantined] = useState(0);

  useEffect(() => {
    const socket = getSocket();
    const provider = new SocketIOProvider(socket, docId, collab.doc, {
      awareness: collab.awareness,
      onStatus: setStatus,
      onError: (code) => setError(code),
    });
    const onQuarantined = (p: { docId: string; count: number }) => p.docId === docId && setQuarantined((n) => n + p.count);
    socket.on('doc:quarantined' as never, onQuarantined as never);
    return () => {
      socket.off('doc:quarantined' as never, onQuarantined as never);
      provider.destroy();
    };
  }, [docId, collab]);

  return { collab, status, error, quarantined };
}

function Toolbar({ editor }: { editor: Editor }) {
  const { t } = useTranslation();
  const active = useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      bold: e.isActive('bold'),
      italic: e.isActive('italic'),
      heading: e.isActive('heading', { level: 2 }),
      bullet: e.isActive('bulletList'),
      ordered: e.isActive('orderedList'),
    }),
  });
  const chain = () => editor.chain().focus();
  const buttons = [
    { key: 'bold', label: t('editor.bold'), text: 'B', on: active.bold, run: () => chain().toggleBold().run() },
    { key: 'italic', label: t('editor.italic'), text: 'I', on: active.italic, run: () => chain().toggleItalic().run() },
    { key: 'heading', label: t('editor.heading'), text: 'H', on: active.heading, run: () => chain().toggleHeading({ level: 2 }).run() },
    { key: 'bullet', label: t('editor.bulletList'), text: '•', on: active.bullet, run: () => chain().toggleBulletList().run() },
    { key: 'ordered', label: t('editor.orderedList'), text: '1.', on: active.ordered, run: () => chain().toggleOrderedList().run() },
  ];
  return (
    <div className="editor-toolbar" role="toolbar" aria-label={t('editor.label')}>
      {buttons.map((b) => (
        <button key={b.key} type="button" className="button-quiet" title={b.label} aria-pressed={b.on} onMouseDown={(e) => e.preventDefault()} onClick={b.run}>
          <span aria-hidden="true">{b.text}</span>
          <span className="visually-hidden">{b.label}</span>
        </button>
      ))}
    </div>
  );
}

function Thread({ root, replies, editor, onChange, compoundId, proposalId, canWrite, fundingLabel }: {
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
              <button type="button" className="button-quiet" disabled={busy} onClick={() => void act(() => api.resolveThread(compoundId, proposalId, root.threadId, !root.resolved))}>
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

/** Comments arrive over HTTP only; while the screen is open they are fetched again every few seconds. */
const COMMENT_POLL_MS = 30_000;

function useComments(compoundId: string, proposalId: string) {
  const [comments, setComments] = useState<CommentView[]>([]);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let current = true;
    const load = () =>
      api.comments(compoundId, proposalId).then(
        (c) => current && setComments(c),
        () => undefined,
      );
    void load();
    // The server says when the threads change; the slow poll only covers what a dropped
    // connection missed.
    const socket = getSocket();
    const changed = (p: { docId: string }) => p.docId === proposalId && void load();
    const reconnected = () => void load();
    socket.on('doc:comments' as never, changed as never);
    socket.on('connect', reconnected);
    const timer = setInterval(() => void load(), COMMENT_POLL_MS);
    return () => {
      current = false;
      socket.off('doc:comments' as never, changed as never);
      socket.off('connect', reconnected);
      clearInterval(timer);
    };
  }, [compoundId, proposalId, tick]);
  return { comments, reload: () => setTick((n) => n + 1) };
}

export interface WorkspaceProps {
  compoundId: string;
  proposal: ProposalView;
  roles: readonly Role[];
  userName: string;
  /** Shown beside the text (the chair's freeze button, the funding table). */
  actions?: ReactNode;
}

/** The proposal's co-edited text with live carets, and its anchored comments. Loaded lazily. */
export default function ProposalWorkspace({ compoundId, proposal, roles, userName, actions }: WorkspaceProps) {
  const { t } = useTranslation();
  const { message } = useErrorText();
  const { collab, status, error, quarantined } = useCollab(proposal.id);
  const { comments, reload } = useComments(compoundId, proposal.id);
  /** A new thread: about a range of the text (anchor) or about a funding line. */
  const [draft, setDraft] = useState<{ anchor?: { start: string; end: string; quote: string }; fundingLineId?: string; quote: string } | null>(null);
  const [body, setBody] = useState('');
  const [hint, setHint] = useState<string | null>(null);
  const [postError, setPostError] = useState<string | null>(null);
  const canComment = allows(roles, 'comment.write');

  const editor = useEditor(
    {
      extensions: [
        StarterKit.configure({ undoRedo: false }),
        Collaboration.configure({ document: collab.doc, field: DOC_BODY_FIELD }),
        CollaborationCaret.configure({ provider: { awareness: collab.awareness }, user: { name: userName, color: presenceColour(userName) } }),
        CommentAnchors,
      ],
      editable: false,
      editorProps: {
        attributes: { 'aria-label': t('editor.label'), 'aria-multiline': 'true', role: 'textbox', 'data-testid': 'proposal-editor' },
      },
    },
    [collab],
  );

  useEffect(() => {
    editor?.setEditable(status.canEdit);
  }, [editor, status.canEdit]);

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
        <Link href={`/c/${encodeURIComponent(compoundId)}/p/${encodeURIComponent(proposal.id)}`} className="button-link" data-testid="proposal-history-link">
          {t('editor.history')}
        </Link>
        {actions}
      </div>
      {status.synced && !status.canEdit && (
        <p className="muted" data-testid="read-only-note">
          {proposal.status === 'adopted' ? t('lifecycle.final') : proposal.status === 'passed' ? t('lifecycle.passedWaiting') : isFinalStatus(proposal.status) ? t('lifecycle.closedState') : t('editor.readOnly')}
        </p>
      )}
      {editor && status.canEdit && <Toolbar editor={editor} />}
      <div className="editor-surface">{editor ? <EditorContent editor={editor} /> : <p role="status">{t('editor.loading')}</p>}</div>
      <p className="muted" data-testid="doc-status" data-pending={status.pending} data-synced={status.synced}>
        {!status.synced ? t('editor.unsynced') : status.pending > 0 ? t('editor.saving', { n: status.pending }) : t('editor.saved')}
      </p>
      {error && <Alert>{message(new CommandError(error, ''))}</Alert>}
      {quarantined > 0 && <Alert>{t('editor.quarantined', { n: quarantined })}</Alert>}

      <FundingTable
        doc={collab.doc}
        compoundId={compoundId}
        canEdit={status.canEdit}
        onComment={canComment ? (line) => setDraft({ fundingLineId: line.id, quote: line.description }) : undefined}
        commentCounts={roots.reduce<Record<string, number>>((n, r) => (r.fundingLineId && !r.resolved ? { ...n, [r.fundingLineId]: (n[r.fundingLineId] ?? 0) + 1 } : n), {})}
      />
      <SignOffPanel compoundId={compoundId} proposalId={proposal.id} roles={roles} refreshKey={`${proposal.status}:${proposal.revisions.length}`} />
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
                <p className="muted">{draft.fundingLineId ? t('comments.onFundingLine', { line: draft.quote }) : t('comments.quote', { quote: draft.quote })}</p>
                <label htmlFor="comment-body">{t('comments.new')}</label>
                <textarea id="comment-body" value={body} maxLength={4000} onChange={(e) => setBody(e.target.value)} data-testid="comment-input" />
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
              <Thread key={r.id} fundingLabel={(id) => readFundingLines(collab.doc).find((l) => l.id === id)?.description ?? id} root={r} replies={repliesOf(r.threadId)} editor={editor} onChange={reload} compoundId={compoundId} proposalId={proposal.id} canWrite={canComment} />
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
