import { addFundingLine, type FundingLineInput, SocketIOProvider } from '@yishi/shared';
import * as Y from 'yjs';
import { appendParagraphs } from '../seed/doc-content';
import { connect } from './sockets';

/**
 * Writes text (and funding lines) into a proposal's document through the real path a browser
 * uses (Socket.IO + Yjs, acknowledged once committed). Returns the new lines' ids.
 */
export async function writeDoc(
  baseUrl: string,
  token: string,
  docId: string,
  content: { paragraphs?: string[]; lines?: FundingLineInput[] } = {},
): Promise<string[]> {
  const socket = await connect(baseUrl, token);
  const doc = new Y.Doc();
  const errors: string[] = [];
  const provider = new SocketIOProvider(socket as never, docId, doc, { onError: (code) => errors.push(code) });
  try {
    await provider.whenSynced();
    appendParagraphs(doc, content.paragraphs ?? ['拆除院内危旧平房，原址翻建为社区服务用房。']);
    const ids = (content.lines ?? []).map((l) => addFundingLine(doc, l));
    await provider.whenAcknowledged();
    if (errors.length) throw new Error(`the server refused the edit: ${errors.join(', ')}`);
    return ids;
  } finally {
    provider.destroy();
    socket.close();
    doc.destroy();
  }
}
