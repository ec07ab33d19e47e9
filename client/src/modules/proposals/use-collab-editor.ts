import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import { type Extensions, useEditor } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import { DOC_BODY_FIELD, presenceColour } from '@yishi/shared';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { Collab } from './use-collab';

/**
 * The TipTap editor bound to a co-edited document (a proposal's text, a meeting's minutes) with
 * live carets: read-only until the server says at doc:join that this user may edit.
 */
export function useCollabEditor(collab: Collab, userName: string, canEdit: boolean, opts: { testId: string; extensions?: Extensions }) {
  const { t } = useTranslation();
  const editor = useEditor(
    {
      extensions: [
        StarterKit.configure({ undoRedo: false }),
        Collaboration.configure({ document: collab.doc, field: DOC_BODY_FIELD }),
        CollaborationCaret.configure({
          provider: { awareness: collab.awareness },
          user: { name: userName, color: presenceColour(userName) },
        }),
        ...(opts.extensions ?? []),
      ],
      editable: false,
      editorProps: {
        attributes: { 'aria-label': t('editor.label'), 'aria-multiline': 'true', role: 'textbox', 'data-testid': opts.testId },
      },
    },
    [collab],
  );

  useEffect(() => {
    editor?.setEditable(canEdit);
  }, [editor, canEdit]);

  return editor;
}
