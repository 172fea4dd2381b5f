/**
 * Loads the data types registered with `registerDataType` (mocks/versioned.ts). Each type
 * lives in its own file here and registers itself when imported; add one import line per
 * type. The image-block types are built in (mocks/imageblk.ts).
 *
 * @example
 * ```ts
 * import './keyvalue.js';
import './roi.js'; // registers 'keyvalue'
 * ```
 * @module
 */
import './keyvalue.js';
import './roi.js';
