/**
 * The mock's `labelmap` data type (DVID v1.0.0 behaviour), registered with `registerDataType`
 * when this module is imported (mocks/datatypes/index.ts does). Requests under
 * `/api/node/{uuid}/{name}/{keyword}` are dispatched as DVID's `labelmap.ServeHTTP` does,
 * including its refusal of index-based endpoints on `IndexedLabels=false` instances; keywords
 * DVID has but the mock does not emulate answer 501.
 *
 * What is emulated and how it differs from DVID is listed in docs/mock.md.
 *
 * @example
 * ```ts
 * import './labelmap/index.js'; // in mocks/datatypes/index.ts
 * state.createInstance(root, { typename: 'labelmap', dataname: 'seg', BlockSize: '64,64,64' });
 * ```
 * @module
 */
import { goQuote } from '../goformat.js';
import { notEmulated, textResponse, jsonResponse } from '../http.js';
import { badApiRequest, registerDataType } from '../versioned.js';
import { labelmapInfo, labelmapInfoJson, labelmapMetadataJson } from './info.js';
import { handleListLabels, handleMaxlabel, handleMutations, handleNextlabel } from './counters.js';
import {
  handleLastmod,
  handleMapping,
  handleSize,
  handleSizes,
  handleSparsevol,
  handleSparsevolCoarse,
  handleSparsevolSize,
  handleSupervoxels,
  handleSupervoxelSizes,
} from './labels.js';
import { handleCleave, handleMerge, handleRenumber } from './mutate.js';
import type { LabelmapRequest } from './request.js';
import { handleSplit, handleSplitSupervoxel } from './split.js';
import { createLabelmapInstance, type LabelmapInstance } from './store.js';
import { handleBlocks, handleLabel, handleLabels, handleRaw, handleSpecificBlocks } from './voxels.js';

export type { LabelmapInstance } from './store.js';
export { LabelBlock } from './block.js';

/** Endpoints DVID refuses on instances with `IndexedLabels=false`. */
const NEEDS_INDEX = ['sparsevol', 'sparsevol-by-point', 'sparsevol-coarse', 'maxlabel', 'nextlabel', 'split-supervoxel', 'cleave', 'merge'];

/** Keywords DVID v1.0.0 serves that the mock does not emulate. */
const NOT_EMULATED = [
  'extents',
  'resolution',
  'map-stats',
  'tags',
  'sync',
  'supervoxel-splits',
  'ingest-supervoxels',
  'pseudocolor',
  'sparsevol-by-point',
  'sparsevols-coarse',
  'proximity',
  'index',
  'indices',
  'indices-compressed',
  'mappings',
  'history',
];

const HELP_TEXT =
  'API for label map data type (github.com/janelia-flyem/dvid/datatype/labelmap)\n' +
  "(dvid-ts mock: see DVID's own help for the full text; docs/mock.md lists what the mock emulates)\n";

type Handler = (req: LabelmapRequest) => Response | Promise<Response>;

const HANDLERS: Record<string, Handler> = {
  raw: handleRaw,
  isotropic: handleRaw,
  blocks: handleBlocks,
  specificblocks: handleSpecificBlocks,
  label: handleLabel,
  labels: handleLabels,
  listlabels: handleListLabels,
  mapping: handleMapping,
  lastmod: handleLastmod,
  supervoxels: handleSupervoxels,
  'supervoxel-sizes': handleSupervoxelSizes,
  size: handleSize,
  sizes: handleSizes,
  'sparsevol-size': handleSparsevolSize,
  sparsevol: handleSparsevol,
  'sparsevol-coarse': handleSparsevolCoarse,
  maxlabel: handleMaxlabel,
  nextlabel: handleNextlabel,
  'split-supervoxel': handleSplitSupervoxel,
  cleave: handleCleave,
  split: handleSplit,
  merge: handleMerge,
  renumber: handleRenumber,
  mutations: handleMutations,
};

/** `GET|POST .../info`. */
function handleInfo(req: LabelmapRequest): Response {
  if (req.request.method === 'POST') throw notEmulated(req.request.path, 'POST info (changing a labelmap configuration)');
  return jsonResponse(labelmapInfoJson(req.instance));
}

/**
 * Serves one labelmap request (DVID's `labelmap.ServeHTTP`).
 *
 * @example
 * ```ts
 * await serveLabelmap(req);
 * ```
 */
export async function serveLabelmap(req: LabelmapRequest): Promise<Response> {
  if (req.parts.length < 4) throw new Error('Incomplete API request');
  const keyword = req.parts[3];
  if (!req.instance.indexedLabels && NEEDS_INDEX.includes(keyword)) {
    throw new Error(`data ${goQuote(req.instance.name)} is not label indexed (IndexedLabels=false): ${goQuote(keyword)} endpoint is not supported`);
  }
  if (keyword === 'help') return textResponse(`${HELP_TEXT}\n`);
  if (keyword === 'metadata') return jsonResponse(`${labelmapMetadataJson(req.instance)}\n`, 'application/vnd.dvid-nd-data+json');
  if (keyword === 'info') return handleInfo(req);
  if (NOT_EMULATED.includes(keyword)) throw notEmulated(req.request.path, `the ${keyword} endpoint of labelmap`);
  const handler = Object.hasOwn(HANDLERS, keyword) ? HANDLERS[keyword] : undefined;
  if (!handler) throw badApiRequest(req);
  return handler(req);
}

registerDataType<LabelmapInstance>('labelmap', {
  create: (base, config) => createLabelmapInstance(base, config),
  info: labelmapInfo,
  handle: serveLabelmap,
});
