/**
 * DVID's protobuf messages for batch keyvalue and neuronjson transfers
 * (`datatype/common/proto/keyvalue.proto`: `KeyValue`, `Keys`, `KeyValues`), built at load time
 * from a descriptor with `@bufbuild/protobuf` (no generated code).
 *
 * @example
 * ```ts
 * const body = encodeKeyValues([['a', new TextEncoder().encode('hello')]]);
 * decodeKeyValues(body); // [['a', Uint8Array(5)]]
 * ```
 * @module
 */
import { create, createFileRegistry, fromBinary, toBinary, type DescMessage, type Message } from '@bufbuild/protobuf';
import type { GenMessage } from '@bufbuild/protobuf/codegenv2';
import {
  FieldDescriptorProto_Label as Label,
  FieldDescriptorProto_Type as FieldType,
  FileDescriptorProtoSchema,
} from '@bufbuild/protobuf/wkt';
import { DecodeError } from '../errors.js';

/**
 * `message KeyValue { string key = 1; bytes value = 2; }`
 *
 * @example
 * ```ts
 * const kv: KeyValueMessage = create(KEYVALUE_PROTO.KeyValue, { key: 'a', value: new Uint8Array([1]) });
 * ```
 */
export type KeyValueMessage = Message<'proto.KeyValue'> & { key: string; value: Uint8Array };
/**
 * `message Keys { repeated string keys = 1; }`
 *
 * @example
 * ```ts
 * const keys: KeysMessage = create(KEYVALUE_PROTO.Keys, { keys: ['a', 'b'] });
 * ```
 */
export type KeysMessage = Message<'proto.Keys'> & { keys: string[] };
/**
 * `message KeyValues { repeated KeyValue kvs = 1; }`
 *
 * @example
 * ```ts
 * const msg: KeyValuesMessage = fromBinary(KEYVALUE_PROTO.KeyValues, bytes);
 * ```
 */
export type KeyValuesMessage = Message<'proto.KeyValues'> & { kvs: KeyValueMessage[] };

const protoFile = create(FileDescriptorProtoSchema, {
  name: 'datatype/common/proto/keyvalue.proto',
  package: 'proto',
  syntax: 'proto3',
  messageType: [
    {
      name: 'KeyValue',
      field: [
        { name: 'key', jsonName: 'key', number: 1, type: FieldType.STRING, label: Label.OPTIONAL },
        { name: 'value', jsonName: 'value', number: 2, type: FieldType.BYTES, label: Label.OPTIONAL },
      ],
    },
    { name: 'Keys', field: [{ name: 'keys', jsonName: 'keys', number: 1, type: FieldType.STRING, label: Label.REPEATED }] },
    {
      name: 'KeyValues',
      field: [{ name: 'kvs', jsonName: 'kvs', number: 1, type: FieldType.MESSAGE, typeName: '.proto.KeyValue', label: Label.REPEATED }],
    },
  ],
});
const protoRegistry = createFileRegistry(protoFile, () => undefined);

function messageSchema<T extends Message>(name: string): GenMessage<T> {
  const desc = protoRegistry.getMessage(name);
  if (!desc) throw new Error(`protobuf message ${name} missing from the keyvalue descriptor`);
  return desc as DescMessage as GenMessage<T>;
}

/**
 * DVID's protobuf schemas for batch keyvalue (and neuronjson) transfers, usable with
 * `@bufbuild/protobuf`'s `create`, `toBinary`, `fromBinary`.
 *
 * @example
 * ```ts
 * import { toBinary, create } from '@bufbuild/protobuf';
 * const bytes = toBinary(KEYVALUE_PROTO.Keys, create(KEYVALUE_PROTO.Keys, { keys: ['a', 'b'] }));
 * ```
 */
export const KEYVALUE_PROTO = {
  KeyValue: messageSchema<KeyValueMessage>('proto.KeyValue'),
  Keys: messageSchema<KeysMessage>('proto.Keys'),
  KeyValues: messageSchema<KeyValuesMessage>('proto.KeyValues'),
} as const;

/**
 * Encodes DVID's protobuf `Keys` message.
 *
 * @example
 * ```ts
 * encodeKeys(['a', 'b']); // Uint8Array [10, 1, 97, 10, 1, 98]
 * ```
 */
export function encodeKeys(keys: readonly string[]): Uint8Array {
  return toBinary(KEYVALUE_PROTO.Keys, create(KEYVALUE_PROTO.Keys, { keys: [...keys] }));
}

/**
 * Encodes DVID's protobuf `KeyValues` message (entries in the given order).
 *
 * @example
 * ```ts
 * encodeKeyValues([['a', new TextEncoder().encode('hello')]]);
 * ```
 */
export function encodeKeyValues(entries: Iterable<readonly [string, Uint8Array]>): Uint8Array {
  const kvs = [...entries].map(([key, value]) => create(KEYVALUE_PROTO.KeyValue, { key, value }));
  return toBinary(KEYVALUE_PROTO.KeyValues, create(KEYVALUE_PROTO.KeyValues, { kvs }));
}

/**
 * Decodes DVID's protobuf `KeyValues` message into `[key, value]` pairs in wire order.
 *
 * @throws {@link DecodeError} for bytes that are not a `KeyValues` message.
 * @example
 * ```ts
 * decodeKeyValues(bytes); // [['a', Uint8Array(5)], ['j', Uint8Array(7)]]
 * ```
 */
export function decodeKeyValues(bytes: Uint8Array): [string, Uint8Array][] {
  try {
    return fromBinary(KEYVALUE_PROTO.KeyValues, bytes).kvs.map((kv) => [kv.key, kv.value]);
  } catch (cause) {
    throw new DecodeError('protobuf', `DVID's reply is not a protobuf KeyValues message: ${(cause as Error).message}`, { cause });
  }
}
