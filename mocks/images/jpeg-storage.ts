/**
 * Lossy storage of image-block instances created with `"Compression": "jpeg"`, as DVID v1.0.0
 * stores them (`dvid.SerializeData`): each written block's bytes become one gray JPEG, quality
 * 80, `level` pixels wide (the level is the block's x size) and bytes/level high; reads decode
 * it. The mock encodes with Go's encoder (mocks/images/jpeg-encode.ts), keeps the JPEG for
 * block streams and replaces the block's bytes by their decoding with Go 1.26's IDCT
 * (`decodeJpeg(…, {idct: 'loeffler'})`), so `/raw` and every image reads what DVID reads.
 *
 * @example
 * ```ts
 * storeAsJpeg(instance, box, node); // after a write of a JPEG-stored instance
 * storedJpeg(instance.store!.getBlock([0, 0, 0], node)!) // the block's JPEG bytes
 * ```
 * @module
 */
import { decodeJpeg } from '../../src/codecs/jpeg.js';
import { blockOf, endPoint, type Point3, type Subvolume } from '../geometry.js';
import type { ImageInstance } from '../imageblk.js';
import type { VersionNode } from '../versioned.js';
import { encodeGoJpeg } from './jpeg-encode.js';
import { DEFAULT_JPEG_QUALITY } from './image-response.js';

/** The JPEG each stored block was made from, by the block's bytes (one array per version). */
const jpegOfBlock = new WeakMap<Uint8Array, Uint8Array>();

/**
 * The JPEG width of a JPEG-stored instance (`jpeg compression, level N`), else undefined.
 *
 * @example
 * ```ts
 * jpegStorageLevel({ compression: 'jpeg compression, level 32' }) // 32
 * ```
 */
export function jpegStorageLevel(instance: Pick<ImageInstance, 'compression'>): number | undefined {
  const match = /^jpeg compression, level (-?\d+)$/.exec(instance.compression);
  return match ? Number(match[1]) : undefined;
}

/**
 * The JPEG a stored block came from, if the block was stored as JPEG.
 *
 * @example
 * ```ts
 * storedJpeg(block)?.subarray(0, 2) // [0xff, 0xd8]
 * ```
 */
export function storedJpeg(block: Uint8Array): Uint8Array | undefined {
  return jpegOfBlock.get(block);
}

/** Encodes one block as DVID does and replaces its bytes with the decoded pixels. */
function compressBlock(block: Uint8Array, level: number): void {
  if (level <= 0 || block.length % level !== 0) throw new Error('Illegal block dimensions on compression');
  const jpeg = encodeGoJpeg({ width: level, height: block.length / level, channels: 1, data: block }, DEFAULT_JPEG_QUALITY);
  block.set(decodeJpeg(jpeg, { idct: 'loeffler' }).data as Uint8Array);
  jpegOfBlock.set(block, jpeg);
}

/**
 * After a block-aligned write to a JPEG-stored instance: stores every written block as JPEG.
 * Does nothing for other storage.
 *
 * @example
 * ```ts
 * writeVoxels(instance, box, data, node); storeAsJpeg(instance, box, node);
 * ```
 */
export function storeAsJpeg(instance: ImageInstance, box: Subvolume, at?: VersionNode): void {
  const level = jpegStorageLevel(instance);
  const store = instance.store;
  if (level === undefined || !store) return;
  const first = blockOf(box.offset, store.blockSize);
  const last = blockOf(endPoint(box), store.blockSize);
  for (let z = first[2]; z <= last[2]; z++) {
    for (let y = first[1]; y <= last[1]; y++) {
      for (let x = first[0]; x <= last[0]; x++) {
        const block = store.getBlock([x, y, z] as Point3, at);
        if (block) compressBlock(block, level);
      }
    }
  }
}
