/**
 * Structure-aware mutation of valid seeds, as a coverage-guided fuzzer's mutators would do it, but
 * driven by fast-check so that every input is reproducible from (seed, path) and shrinks.
 *
 * Bytes: bit flips, bytes set to AMQP type constructors or boundary values, a 4-byte field
 * overwritten with a boundary length (0, 0x7fffffff, 0xffffffff, the input's own length ± 1, ...),
 * inserted, deleted and duplicated ranges, truncation, splices from another seed. Documents (JSON,
 * YAML): a leaf replaced by a value of another type, a key dropped or added, then a few text edits.
 */
import fc from 'fast-check';
import { Code } from '../../router/src/amqp/codec/type-codes.js';

/** Bytes a parser branches on: every type constructor, and values at type boundaries. */
const INTERESTING_BYTES = [...new Set([...Object.values(Code), 0x00, 0x01, 0x02, 0x03, 0x07, 0x08, 0x7f, 0x80, 0xfe, 0xff])];
const INTERESTING_U32 = [0, 1, 2, 7, 8, 0xff, 0x100, 0x1ff, 0x200, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];

type ByteEdit =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'set'; at: number; value: number }
  | { kind: 'u32'; at: number; value: number | 'length+1' | 'length-1' }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'duplicate'; at: number; length: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'splice'; seed: number; from: number; at: number };

const at = fc.nat();
const span = fc.integer({ min: 1, max: 32 });
const byteEdit: fc.Arbitrary<ByteEdit> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at, bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('set' as const), at, value: fc.oneof(fc.constantFrom(...INTERESTING_BYTES), fc.integer({ min: 0, max: 255 })) }),
  fc.record({ kind: fc.constant('u32' as const), at, value: fc.oneof(fc.constantFrom(...INTERESTING_U32), fc.constantFrom('length+1' as const, 'length-1' as const)) }),
  fc.record({ kind: fc.constant('insert' as const), at, bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
  fc.record({ kind: fc.constant('delete' as const), at, length: span }),
  fc.record({ kind: fc.constant('duplicate' as const), at, length: span }),
  fc.record({ kind: fc.constant('truncate' as const), at }),
  fc.record({ kind: fc.constant('splice' as const), seed: fc.nat(), from: fc.nat(), at }),
);

function applyByteEdit(input: Buffer, edit: ByteEdit, seeds: readonly Buffer[]): Buffer {
  const n = input.length;
  const pos = n === 0 ? 0 : edit.at % n;
  switch (edit.kind) {
    case 'flip':
    case 'set': {
      if (n === 0) return input;
      const out = Buffer.from(input);
      out[pos] = edit.kind === 'flip' ? out[pos]! ^ (1 << edit.bit) : edit.value;
      return out;
    }
    case 'u32': {
      if (n < 4) return input;
      const out = Buffer.from(input);
      const where = edit.at % (n - 3);
      const value = edit.value === 'length+1' ? n - where + 1 : edit.value === 'length-1' ? Math.max(0, n - where - 5) : edit.value;
      out.writeUInt32BE(value >>> 0, where);
      return out;
    }
    case 'insert':
      return Buffer.concat([input.subarray(0, pos), edit.bytes, input.subarray(pos)]);
    case 'delete':
      return Buffer.concat([input.subarray(0, pos), input.subarray(pos + edit.length)]);
    case 'duplicate':
      return Buffer.concat([input.subarray(0, pos + edit.length), input.subarray(pos)]);
    case 'truncate':
      return input.subarray(0, pos);
    case 'splice': {
      const other = seeds[edit.seed % seeds.length]!;
      return Buffer.concat([input.subarray(0, pos), other.subarray(other.length === 0 ? 0 : edit.from % other.length)]);
    }
  }
}

/**
 * Inputs for a byte parser: mostly mutated seeds, some seeds as they are, some random bytes.
 * `seeds` must be valid inputs (recorded frames, encoder output).
 */
export function mutatedBytes(seeds: readonly Buffer[], maxEdits = 6): fc.Arbitrary<Buffer> {
  if (seeds.length === 0) throw new Error('mutatedBytes needs at least one seed');
  const mutated = fc
    .tuple(fc.nat({ max: seeds.length - 1 }), fc.array(byteEdit, { minLength: 1, maxLength: maxEdits }))
    .map(([index, edits]) => edits.reduce((bytes, edit) => applyByteEdit(bytes, edit, seeds), seeds[index]!));
  return fc.oneof(
    { weight: 8, arbitrary: mutated },
    { weight: 1, arbitrary: fc.constantFrom(...seeds) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 512 }).map((a) => Buffer.from(a)) },
  );
}

// ---- documents (JSON, YAML) --------------------------------------------------------------

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Values of every JSON type, with the strings and numbers validators trip on. */
export const jsonLeaf: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(null, true, false, 0, -1, 1.5, 65536, 1e300, -0, '', ' ', '0', '-1', '65536', 'yes', 'none', '*', '::', '127.0.0.1', '/', '/dev/null', 'env:', 'file:', 'pass:x', 'a'.repeat(300)),
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'grapheme', maxLength: 10 }),
);
const jsonValue: fc.Arbitrary<Json> = fc.letrec<{ value: Json }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    jsonLeaf,
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 8 }), tie('value'), { maxKeys: 3 }),
  ),
})).value;

type DocEdit =
  | { kind: 'replace'; path: number; value: Json }
  | { kind: 'drop'; path: number }
  | { kind: 'add'; path: number; key: string; value: Json };

const docEdit = (keys: readonly string[]): fc.Arbitrary<DocEdit> =>
  fc.oneof(
    fc.record({ kind: fc.constant('replace' as const), path: fc.nat(), value: jsonValue }),
    fc.record({ kind: fc.constant('drop' as const), path: fc.nat() }),
    fc.record({ kind: fc.constant('add' as const), path: fc.nat(), key: keys.length > 0 ? fc.oneof(fc.constantFrom(...keys), fc.string({ maxLength: 8 })) : fc.string({ maxLength: 8 }), value: jsonValue }),
  );

/** Every container and leaf of `doc` with its parent, depth first. */
function nodesOf(doc: Json): Array<{ parent: Json[] | Record<string, Json> | undefined; key: string | number; node: Json }> {
  const out: Array<{ parent: Json[] | Record<string, Json> | undefined; key: string | number; node: Json }> = [{ parent: undefined, key: 0, node: doc }];
  for (let i = 0; i < out.length; i++) {
    const { node } = out[i]!;
    if (Array.isArray(node)) node.forEach((child, k) => out.push({ parent: node, key: k, node: child }));
    else if (node !== null && typeof node === 'object') for (const [k, child] of Object.entries(node)) out.push({ parent: node, key: k, node: child });
  }
  return out;
}

function applyDocEdit(doc: Json, edit: DocEdit): Json {
  const nodes = nodesOf(doc);
  const target = nodes[edit.path % nodes.length]!;
  const { parent, key, node } = target;
  switch (edit.kind) {
    case 'replace':
      if (parent === undefined) return edit.value;
      (parent as Record<string, Json>)[key] = edit.value;
      return doc;
    case 'drop':
      if (parent === undefined) return doc;
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key as string];
      return doc;
    case 'add':
      if (Array.isArray(node)) node.push(edit.value);
      else if (node !== null && typeof node === 'object') node[edit.key] = edit.value;
      return doc;
  }
}

type TextEdit = { kind: 'insert'; at: number; text: string } | { kind: 'delete'; at: number; length: number } | { kind: 'truncate'; at: number };
const textEdit: fc.Arbitrary<TextEdit> = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), at, text: fc.oneof(fc.constantFrom('"', ',', '[', ']', '{', '}', ':', '\n', '- ', '---\n', '&a ', '*a', '!!binary ', '\t', '\\u0000', '#'), fc.string({ maxLength: 4 })) }),
  fc.record({ kind: fc.constant('delete' as const), at, length: span }),
  fc.record({ kind: fc.constant('truncate' as const), at }),
);

function applyTextEdit(text: string, edit: TextEdit): string {
  const pos = text.length === 0 ? 0 : edit.at % text.length;
  switch (edit.kind) {
    case 'insert':
      return text.slice(0, pos) + edit.text + text.slice(pos);
    case 'delete':
      return text.slice(0, pos) + text.slice(pos + edit.length);
    case 'truncate':
      return text.slice(0, pos);
  }
}

/**
 * Texts of a document format: seeds edited as trees (`keys` are names worth adding), serialized,
 * then sometimes edited as text.
 */
export function mutatedDocuments(seeds: readonly Json[], serialize: (doc: Json) => string, keys: readonly string[] = []): fc.Arbitrary<string> {
  if (seeds.length === 0) throw new Error('mutatedDocuments needs at least one seed');
  return fc
    .tuple(
      fc.nat({ max: seeds.length - 1 }),
      fc.array(docEdit(keys), { maxLength: 5 }),
      fc.oneof({ weight: 4, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: fc.array(textEdit, { minLength: 1, maxLength: 3 }) }),
    )
    .map(([index, edits, textEdits]) => {
      const doc = edits.reduce(applyDocEdit, structuredClone(seeds[index]!));
      return textEdits.reduce(applyTextEdit, serialize(doc));
    });
}

export type { Json };
