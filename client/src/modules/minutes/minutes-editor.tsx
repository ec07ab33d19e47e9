import { EditorContent } from '@tiptap/react';
import { useTranslation } from 'react-i18next';
import { Alert } from '../../components/alert';
import { ReadAloud } from '../../components/read-aloud';
import { useErrorText } from '../../lib/errors';
import { CommandError } from '../../lib/realtime';
import { DocStatusLine } from '../proposals/doc-status-line';
import { Toolbar } from '../proposals/editor-toolbar';
import { useCollab } from '../proposals/use-collab';
import { useCollabEditor } from '../proposals/use-collab-editor';

/**
 * The minutes' co-edited text, through the same document machinery as a proposal's: the chair and
 * the recorder type, everyone else reads it live. Loaded lazily with the editor.
 */
export default function MinutesEditor({ docId, userName }: { docId: string; userName: string }) {
  const { t } = useTranslation();
  const { message } = useErrorText();
  const { collab, status, error } = useCollab(docId);
  const editor = useCollabEditor(collab, userName, status.canEdit, { testId: 'minutes-editor' });
  return (
    <div className="workspace">
      <div className="button-row">
        <ReadAloud text={() => editor?.getText({ blockSeparator: '\n' }) ?? ''} label={t('minutes.readAloud')} testId="read-minutes" />
      </div>
      {status.synced && !status.canEdit && (
        <p className="muted" data-testid="minutes-read-only">
          {t('minutes.readOnly')}
        </p>
      )}
      {editor && status.canEdit && <Toolbar editor={editor} />}
      <div className="editor-surface">{editor ? <EditorContent editor={editor} /> : <p role="status">{t('editor.loading')}</p>}</div>
      <DocStatusLine status={status} />
      {error && <Alert>{message(new CommandError(error, ''))}</Alert>}
    </div>
  );
}
