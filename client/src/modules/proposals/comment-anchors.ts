import { Extension } from '@tiptap/core';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import type { Editor } from '@tiptap/react';
import { relativePositionToAbsolutePosition, ySyncPluginKey } from '@tiptap/y-tiptap';
import * as Y from 'yjs';

/** Comment anchors are Yjs relative positions, stored as base64 so they survive concurrent edits. */
export const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const fromBase64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

/** Highlights the ranges open comment threads are anchored to. */
export const anchorsKey = new PluginKey<DecorationSet>('comment-anchors');
export const CommentAnchors = Extension.create({
  name: 'commentAnchors',
  addProseMirrorPlugins() {
    return [
      new Plugin<DecorationSet>({
        key: anchorsKey,
        state: {
          init: () => DecorationSet.empty,
          apply(tr, set) {
            const ranges = tr.getMeta(anchorsKey) as Array<{ from: number; to: number }> | undefined;
            if (ranges)
              return DecorationSet.create(
                tr.doc,
                ranges.map((r) => Decoration.inline(r.from, r.to, { class: 'comment-anchor' })),
              );
            return set.map(tr.mapping, tr.doc);
          },
        },
        props: { decorations: (state) => anchorsKey.getState(state) },
      }),
    ];
  },
});

/** Where an anchor stands in the editor now, or null once its text is gone. */
export function anchorRange(editor: Editor, anchor: { start: string; end: string }): { from: number; to: number } | null {
  const binding = ySyncPluginKey.getState(editor.state)?.binding;
  if (!binding) return null;
  const at = (b64: string) =>
    relativePositionToAbsolutePosition(binding.doc, binding.type, Y.decodeRelativePosition(fromBase64(b64)), binding.mapping);
  const from = at(anchor.start);
  const to = at(anchor.end);
  return from !== null && to !== null && to > from ? { from, to } : null;
}
