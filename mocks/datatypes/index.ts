/**
 * The data types the mock emulates beyond the built-in image-block types (mocks/imageblk.ts).
 * Each type lives in its own file here and calls `registerDataType` (mocks/versioned.ts) at
 * its top level. To add one: `import * as mytype from './mytype.js';` and list `mytype` in
 * {@link DATA_TYPE_MODULES}.
 *
 * The list is what keeps the registrations: the package declares `"sideEffects": false`, so a
 * bundler (tsup/esbuild for `dvid-ts/mock`) drops a bare `import './mytype.js'`, and with it
 * the registration. A module that is referenced through its namespace object is kept whole.
 *
 * @example
 * ```ts
 * import * as keyvalue from './keyvalue.js'; // registers 'keyvalue'
 * export const DATA_TYPE_MODULES = [keyvalue];
 * ```
 * @module
 */
import * as labelmap from '../labelmap/index.js';
import * as annotation from './annotation.js';
import * as imagetile from '../handlers/imagetile.js';
import * as keyvalue from './keyvalue.js';
import * as labelsz from './labelsz.js';
import * as neuronjson from './neuronjson.js';
import * as roi from './roi.js';

/**
 * The modules of the registered data types. `MockDvidState` reads this list, which keeps the
 * modules (and their `registerDataType` calls) in bundles.
 *
 * @example
 * ```ts
 * DATA_TYPE_MODULES.length // number of data type modules loaded
 * ```
 */
export const DATA_TYPE_MODULES: readonly object[] = [keyvalue, roi, neuronjson, annotation, labelsz, labelmap, imagetile];
