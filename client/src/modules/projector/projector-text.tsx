import Collaboration from '@tiptap/extension-collaboration';
import { EditorContent, useEditor } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import { DOC_BODY_FIELD, SocketIOProvider } from '@yishi/shared';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import * as Y from 'yjs';
import type { AppSocket } from '../../lib/realtime';

/**
 * The proposal's co-edited text, read-only, as it changes: the same Yjs binding as the room's
 * editor, over the projector's own socket (the server answers its join with `canEdit: false`).
 * Loaded lazily, like the room's editor.
 */
export default function ProjectorText({ socket, docId }: { socket: AppSocket; docId: string }) {
  const { t } = useTranslation();
  const [doc] = useState(() => new Y.Doc());
  useEffect(() => {
    const provider = new SocketIOProvider(socket, docId, doc);
    return () => provider.destroy();
  }, [socket, docId, doc]);
  const editor = useEditor(
    {
      extensions: [StarterKit.configure({ undoRedo: false }), Collaboration.configure({ document: doc, field: DOC_BODY_FIELD })],
      editable: false,
      editorProps: { attributes: { 'aria-label': t('projector.text'), 'data-testid': 'projector-text' } },
    },
    [doc],
  );
  return <EditorContent editor={editor} className="projector-text" />;
}
