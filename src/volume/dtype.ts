/**
 * Element types of volumes: names, TypedArray constructors and scalar types.
 *
 * @example
 * ```ts
 * const data = allocate('uint16', 64 * 64); // Uint16Array
 * bytesPerElement('uint64'); // 8
 * ```
 * @module
 */
import { DvidArgumentError } from '../errors.js';

/** Element types a Volume can hold (numpy names, as DVID's `DataType` uses them). */
export type DType =
  | 'uint8'
  | 'int8'
  | 'uint16'
  | 'int16'
  | 'uint32'
  | 'int32'
  | 'uint64'
  | 'int64'
  | 'float32'
  | 'float64';

/** Every supported dtype, in a stable order. */
export const DTYPES: readonly DType[] = [
  'uint8',
  'int8',
  'uint16',
  'int16',
  'uint32',
  'int32',
  'uint64',
  'int64',
  'float32',
  'float64',
];

/** The TypedArray that backs a Volume of dtype `D`. */
export type TypedArrayFor<D extends DType> = {
  uint8: Uint8Array;
  int8: Int8Array;
  uint16: Uint16Array;
  int16: Int16Array;
  uint32: Uint32Array;
  int32: Int32Array;
  uint64: BigUint64Array;
  int64: BigInt64Array;
  float32: Float32Array;
  float64: Float64Array;
}[D];

/** Any TypedArray a Volume can hold. */
export type AnyTypedArray = TypedArrayFor<DType>;

/** A single element of dtype `D`: `bigint` for the 64-bit integers, `number` otherwise. */
export type Scalar<D extends DType> = D extends 'uint64' | 'int64' ? bigint : number;

type TypedArrayConstructorFor<D extends DType> = {
  new (length: number): TypedArrayFor<D>;
  new (buffer: ArrayBufferLike, byteOffset?: number, length?: number): TypedArrayFor<D>;
  readonly BYTES_PER_ELEMENT: number;
};

const CONSTRUCTORS: { [D in DType]: TypedArrayConstructorFor<D> } = {
  uint8: Uint8Array as TypedArrayConstructorFor<'uint8'>,
  int8: Int8Array as TypedArrayConstructorFor<'int8'>,
  uint16: Uint16Array as TypedArrayConstructorFor<'uint16'>,
  int16: Int16Array as TypedArrayConstructorFor<'int16'>,
  uint32: Uint32Array as TypedArrayConstructorFor<'uint32'>,
  int32: Int32Array as TypedArrayConstructorFor<'int32'>,
  uint64: BigUint64Array as TypedArrayConstructorFor<'uint64'>,
  int64: BigInt64Array as TypedArrayConstructorFor<'int64'>,
  float32: Float32Array as TypedArrayConstructorFor<'float32'>,
  float64: Float64Array as TypedArrayConstructorFor<'float64'>,
};

/** True when `value` names a supported dtype. */
export function isDType(value: unknown): value is DType {
  return typeof value === 'string' && (DTYPES as readonly string[]).includes(value);
}

/** Throws a DvidArgumentError unless `value` names a supported dtype. */
export function assertDType(value: unknown, argument = 'dtype'): asserts value is DType {
  if (!isDType(value)) {
    throw new DvidArgumentError(argument, `expected one of ${DTYPES.join(', ')}, got ${JSON.stringify(value)}`);
  }
}

/** The TypedArray constructor for a dtype. */
export function typedArrayConstructor<D extends DType>(dtype: D): TypedArrayConstructorFor<D> {
  assertDType(dtype);
  return CONSTRUCTORS[dtype];
}

/** Bytes per element of a dtype. */
export function bytesPerElement(dtype: DType): number {
  return typedArrayConstructor(dtype).BYTES_PER_ELEMENT;
}

/** True for the dtypes whose elements are `bigint`. */
export function isBigIntDType(dtype: DType): dtype is 'uint64' | 'int64' {
  return dtype === 'uint64' || dtype === 'int64';
}

/** A zero-filled TypedArray of `length` elements. */
export function allocate<D extends DType>(dtype: D, length: number): TypedArrayFor<D> {
  return new (typedArrayConstructor(dtype))(length);
}

/**
 * A TypedArray view (no copy) of `length` elements over `buffer` at `byteOffset`. When the
 * offset is not aligned to the element size the bytes are copied once into a fresh array,
 * since TypedArrays cannot view misaligned memory.
 */
export function viewBytes<D extends DType>(
  dtype: D,
  buffer: ArrayBufferLike,
  byteOffset = 0,
  length?: number,
): TypedArrayFor<D> {
  const ctor = typedArrayConstructor(dtype);
  const n = length ?? Math.floor((buffer.byteLength - byteOffset) / ctor.BYTES_PER_ELEMENT);
  if (byteOffset % ctor.BYTES_PER_ELEMENT === 0) return new ctor(buffer, byteOffset, n);
  const copy = new Uint8Array(n * ctor.BYTES_PER_ELEMENT);
  copy.set(new Uint8Array(buffer, byteOffset, copy.byteLength));
  return new ctor(copy.buffer, 0, n);
}

/** The dtype of a TypedArray, or undefined for an unsupported array. */
export function dtypeOf(array: ArrayBufferView): DType | undefined {
  for (const dtype of DTYPES) if (array instanceof CONSTRUCTORS[dtype]) return dtype;
  return undefined;
}

/**
 * Converts a JS number or bigint to the scalar type of `dtype`, rejecting values the dtype
 * cannot hold exactly (e.g. a fraction for an integer dtype, a negative for unsigned).
 */
export function toScalar<D extends DType>(dtype: D, value: number | bigint, argument = 'value'): Scalar<D> {
  if (isBigIntDType(dtype)) {
    let big: bigint;
    if (typeof value === 'bigint') big = value;
    else if (Number.isInteger(value)) big = BigInt(value);
    else throw new DvidArgumentError(argument, `${value} is not an integer, so it cannot be stored as ${dtype}`);
    const min = dtype === 'uint64' ? 0n : -(1n << 63n);
    const max = dtype === 'uint64' ? (1n << 64n) - 1n : (1n << 63n) - 1n;
    if (big < min || big > max) throw new DvidArgumentError(argument, `${big} is out of range for ${dtype}`);
    return big as Scalar<D>;
  }
  const num = typeof value === 'bigint' ? Number(value) : value;
  if (dtype !== 'float32' && dtype !== 'float64') {
    if (!Number.isInteger(num)) {
      throw new DvidArgumentError(argument, `${value} is not an integer, so it cannot be stored as ${dtype}`);
    }
    const bits = Number(dtype.replace(/\D/g, ''));
    const signed = dtype.startsWith('int');
    const min = signed ? -(2 ** (bits - 1)) : 0;
    const max = signed ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
    if (num < min || num > max) throw new DvidArgumentError(argument, `${value} is out of range for ${dtype}`);
  }
  return num as Scalar<D>;
}

/**
 * The dtype of a TypedArray type: the inverse of {@link TypedArrayFor}.
 *
 * @example
 * ```ts
 * type T = DTypeOf<BigUint64Array>; // 'uint64'
 * ```
 */
export type DTypeOf<A extends AnyTypedArray> = A extends Uint8Array
  ? 'uint8'
  : A extends Int8Array
    ? 'int8'
    : A extends Uint16Array
      ? 'uint16'
      : A extends Int16Array
        ? 'int16'
        : A extends Uint32Array
          ? 'uint32'
          : A extends Int32Array
            ? 'int32'
            : A extends BigUint64Array
              ? 'uint64'
              : A extends BigInt64Array
                ? 'int64'
                : A extends Float32Array
                  ? 'float32'
                  : A extends Float64Array
                    ? 'float64'
                    : never;
