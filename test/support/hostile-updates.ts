import { DOC_BODY_FIELD, seededRandom } from '@yishi/shared';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';

export interface HostileCase {
  kind: string;
  /** Sent one after another to the same document (a pair can hang where each alone does not). */
  updates: Uint8Array[];
}

const pick = <T>(r: () => number, xs: readonly T[]): T => {
  const x = xs[Math.floor(r() * xs.length)];
  if (x === undefined) throw new Error('pick needs a list with something in it');
  return x;
};
const int = (r: () => number, n: number) => Math.floor(r() * n);

/** Values that break assumptions: zero, one, around 2^31, 2^32, 2^53. */
const EDGES = [0, 1, 2, 127, 128, 0x7fffffff, 0x80000000, 0xffffffff, 2 ** 40, Number.MAX_SAFE_INTEGER];
const num = (r: () => number) => (r() < 0.5 ? pick(r, EDGES) : int(r, 64));

/** Valid updates from a short editing session: what mutations start from. */
export function corpus(seed = 1): Uint8Array[] {
  const r = seededRandom(seed);
  const out: Uint8Array[] = [];
  const docs: [Y.Doc, Y.Doc] = [new Y.Doc(), new Y.Doc()];
  docs[0].on('update', (u: Uint8Array) => out.push(u));
  const body = docs[0].getXmlFragment(DOC_BODY_FIELD);
  const p = new Y.XmlElement('paragraph');
  p.insert(0, [new Y.XmlText('平房改造')]);
  body.insert(0, [p]);
  const text = p.get(0) as Y.XmlText;
  for (let i = 0; i < 40; i++) {
    if (r() < 0.7) text.insert(int(r, text.length + 1), pick(r, ['加固', '屋顶', 'x', '资金', '。']));
    else if (text.length > 2) text.delete(int(r, text.length - 1), 1);
    if (i % 10 === 0) text.format(0, Math.min(2, text.length), { bold: true });
  }
  docs[0].getMap('meta').set('k', { nested: [1, 2, { a: 'b' }] });
  out.push(Y.encodeStateAsUpdate(docs[0]));
  return out;
}

function mutate(r: () => number, base: Uint8Array): Uint8Array {
  const bytes = [...base];
  for (let n = 1 + int(r, 4); n > 0; n--) {
    const at = int(r, bytes.length + 1);
    switch (int(r, 6)) {
      case 0:
        bytes[at] = (bytes[at] ?? 0) ^ (1 << int(r, 8));
        break;
      case 1:
        bytes[at] = pick(r, [0, 0xff, 0x7f, 0x80, int(r, 256)]);
        break;
      case 2:
        bytes.splice(at, 0, int(r, 256));
        break;
      case 3:
        bytes.splice(at, 1);
        break;
      case 4:
        bytes.length = Math.min(bytes.length, at);
        break;
      default:
        // A huge varuint where a small one was.
        bytes.splice(at, 1, 0xff, 0xff, 0xff, 0xff, 0x0f);
    }
  }
  return Uint8Array.from(bytes.map((b) => b & 0xff));
}

/**
 * A v1 update written by hand, struct by struct: what no Yjs client produces but any socket can
 * send. Clocks, lengths and references are drawn from the edge values.
 */
function handmade(r: () => number, client: number): { kind: string; update: Uint8Array } {
  const e = encoding.createEncoder();
  const style = pick(r, [
    'gc-overlap',
    'huge-clock',
    'dangling-origin',
    'self-origin',
    'deep-nesting',
    'huge-delete',
    'many-deletes',
    'skip',
    'mixed',
  ] as const);
  const structs: Array<(enc: encoding.Encoder, clock: number) => number> = [];
  const gc = (len: number) => (enc: encoding.Encoder) => {
    encoding.writeUint8(enc, 0);
    encoding.writeVarUint(enc, len);
    return len;
  };
  const skip = (len: number) => (enc: encoding.Encoder) => {
    encoding.writeUint8(enc, 10);
    encoding.writeVarUint(enc, len);
    return len;
  };
  /** An item holding a string, under a root type or after an origin. */
  const item =
    (opts: {
      origin?: [number, number];
      right?: [number, number];
      parentId?: [number, number];
      content?: 'string' | 'type' | 'deleted' | 'any';
      len?: number;
    }) =>
    (enc: encoding.Encoder) => {
      const ref = { string: 4, type: 7, deleted: 1, any: 8 }[opts.content ?? 'string'];
      encoding.writeUint8(enc, ref | (opts.origin ? 0x80 : 0) | (opts.right ? 0x40 : 0));
      for (const id of [opts.origin, opts.right]) {
        if (!id) continue;
        encoding.writeVarUint(enc, id[0]);
        encoding.writeVarUint(enc, id[1]);
      }
      if (!opts.origin && !opts.right) {
        if (opts.parentId) {
          encoding.writeVarUint(enc, 0);
          encoding.writeVarUint(enc, opts.parentId[0]);
          encoding.writeVarUint(enc, opts.parentId[1]);
        } else {
          encoding.writeVarUint(enc, 1);
          encoding.writeVarString(enc, pick(r, [DOC_BODY_FIELD, 'funding', 'meta', '']));
        }
      }
      switch (opts.content ?? 'string') {
        case 'string': {
          const n = Math.min(opts.len ?? 1, 1000);
          encoding.writeVarString(enc, 'x'.repeat(n));
          return n;
        }
        case 'type':
          encoding.writeVarUint(enc, pick(r, [0, 1, 2, 3, 4, 5, 6]));
          return 1;
        case 'deleted':
          encoding.writeVarUint(enc, opts.len ?? 1);
          return opts.len ?? 1;
        default:
          encoding.writeVarUint(enc, 1);
          encoding.writeAny(enc, { a: [1, 'b'] });
          return 1;
      }
    };
  let startClock = 0;
  switch (style) {
    case 'gc-overlap':
      structs.push(gc(num(r) || 1), gc(num(r) || 1));
      startClock = num(r);
      break;
    case 'huge-clock':
      startClock = pick(r, EDGES);
      structs.push(item({ content: pick(r, ['string', 'type', 'deleted'] as const), len: num(r) || 1 }));
      break;
    case 'dangling-origin':
      structs.push(item({ origin: [num(r), num(r)] }), item({ right: [client, num(r)] }));
      break;
    case 'self-origin':
      structs.push(item({ origin: [client, 0] }), item({ origin: [client, 1], right: [client, 0] }));
      break;
    case 'deep-nesting': {
      const depth = pick(r, [50, 500, 2000]);
      structs.push(item({ content: 'type' }));
      for (let i = 1; i < depth; i++) structs.push(item({ content: 'type', parentId: [client, i - 1] }));
      break;
    }
    case 'skip':
      structs.push(skip(num(r) || 1), item({ origin: [client, num(r)] }));
      break;
    case 'mixed':
      for (let n = 1 + int(r, 6); n > 0; n--)
        structs.push(
          pick(r, [
            gc(num(r) || 1),
            skip(num(r) || 1),
            item({
              origin: r() < 0.5 ? [client, num(r)] : undefined,
              content: pick(r, ['string', 'type', 'deleted', 'any'] as const),
              len: 1 + int(r, 3),
            }),
          ]),
        );
      break;
    default:
      break;
  }
  if (structs.length) {
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint(e, structs.length);
    encoding.writeVarUint(e, client);
    encoding.writeVarUint(e, startClock);
    let clock = startClock;
    for (const s of structs) clock += s(e, clock);
  } else encoding.writeVarUint(e, 0);
  // The delete set.
  if (style === 'huge-delete' || style === 'many-deletes' || r() < 0.3) {
    const clients = style === 'many-deletes' ? 1 + int(r, 50) : 1;
    encoding.writeVarUint(e, clients);
    for (let c = 0; c < clients; c++) {
      encoding.writeVarUint(e, r() < 0.5 ? client : num(r));
      const ranges = style === 'many-deletes' ? 1 + int(r, 200) : 1 + int(r, 3);
      encoding.writeVarUint(e, ranges);
      for (let i = 0; i < ranges; i++) {
        encoding.writeVarUint(e, num(r));
        encoding.writeVarUint(e, style === 'huge-delete' ? pick(r, EDGES) || 1 : num(r) || 1);
      }
    }
  } else encoding.writeVarUint(e, 0);
  return { kind: `handmade:${style}`, update: encoding.toUint8Array(e) };
}

/** The next hostile case: mutated valid updates, hand-made struct sequences, v2 sent as v1, or pairs. */
export function hostileCase(r: () => number, base: Uint8Array[]): HostileCase {
  const client = 1 + int(r, 2 ** 30);
  switch (int(r, 5)) {
    case 0:
    case 1:
      return { kind: 'mutated', updates: [mutate(r, pick(r, base))] };
    case 2: {
      const h = handmade(r, client);
      return { kind: h.kind, updates: [h.update] };
    }
    case 3: {
      // v2 bytes where v1 is expected (and mutated v2).
      const v2 = Y.convertUpdateFormatV1ToV2(pick(r, base));
      return { kind: 'v2-as-v1', updates: [r() < 0.5 ? v2 : mutate(r, v2)] };
    }
    default: {
      const a = handmade(r, client);
      const b = r() < 0.5 ? handmade(r, client) : { kind: 'mutated', update: mutate(r, pick(r, base)) };
      return { kind: `pair:${a.kind}+${b.kind}`, updates: [a.update, b.update] };
    }
  }
}
