/**
 * The annotation accessor class: {@link AnnotationInstance}, one instance at one version, with
 * a method per call of `./annotation.ts` (where the DVID behaviour is documented).
 *
 * @example
 * ```ts
 * const syn = client.annotation(uuid, 'synapses');
 * await syn.post([{ Pos: [10, 20, 30], Kind: 'PreSyn' }]);
 * ```
 * @module
 */
import {
  getAllElements,
  getBlockElements,
  getElementsInBox,
  getLabelElements,
  getRoiElements,
  getTagElements,
  scanAnnotation,
  waitForLabelElements,
  type AnnotationScan,
  type RoiElementsOptions,
  type ScanOptions,
} from './annotation-read.js';
import {
  deleteElement,
  moveElement,
  postElementBlocks,
  postElements,
  postLabelElements,
  reloadAnnotation,
  type ReloadOptions,
} from './annotation-write.js';
import type {
  AnnotationBlock,
  AnnotationElement,
  AnnotationElementInput,
  AnnotationWriteOptions,
  RelationshipOptions,
  VerboseRelationship,
} from './annotation.js';
import {
  getInstanceInfo,
  getInstanceTags,
  setInstanceSync,
  setInstanceTags,
  InstanceAccessor,
  type InstanceCallOptions,
  type InstanceContext,
  type InstanceInfo,
  type PollOptions,
  type SetSyncOptions,
  type SetTagsOptions,
} from './instance-common.js';
import type { LabelId } from './labelmap-common.js';

/**
 * One annotation instance at one version. Make it with `client.annotation(uuid, name)` or
 * `client.createAnnotation(uuid, name, {sync})`.
 *
 * @example
 * ```ts
 * const syn = client.annotation(uuid, 'synapses');
 * await syn.post([{ Pos: [1, 2, 3], Kind: 'PreSyn' }]);
 * await syn.byTag('reviewed');
 * ```
 */
export class AnnotationInstance extends InstanceAccessor {
  /**
   * The same instance at another version.
   *
   * @example
   * ```ts
   * await syn.at(parent).inBox([0, 0, 0], [64, 64, 64]);
   * ```
   */
  at(uuid: string): AnnotationInstance {
    return new AnnotationInstance({ ...this.ctx, uuid });
  }

  /**
   * `GET /info` (its `Base.Syncs` names the synced label instance).
   *
   * @example
   * ```ts
   * (await syn.info()).Base.Syncs; // ['segmentation']
   * ```
   */
  info(options?: InstanceCallOptions): Promise<InstanceInfo<Record<string, never>>> {
    return getInstanceInfo(this.ctx, options);
  }

  /**
   * Adds or replaces elements. See {@link postElements}.
   *
   * @example
   * ```ts
   * await syn.post([{ Pos: [1, 2, 3], Kind: 'Note' }]);
   * ```
   */
  post(elements: readonly AnnotationElementInput[], options?: AnnotationWriteOptions): Promise<void> {
    return postElements(this.ctx, elements, options);
  }

  /**
   * Deletes the element at `pos`.
   *
   * @example
   * ```ts
   * await syn.delete([1, 2, 3]);
   * ```
   */
  delete(pos: readonly number[], options?: AnnotationWriteOptions): Promise<void> {
    return deleteElement(this.ctx, pos, options);
  }

  /**
   * Moves an element.
   *
   * @example
   * ```ts
   * await syn.move([1, 2, 3], [4, 5, 6]);
   * ```
   */
  move(from: readonly number[], to: readonly number[], options?: AnnotationWriteOptions): Promise<void> {
    return moveElement(this.ctx, from, to, options);
  }

  /**
   * Elements in a voxel box.
   *
   * @example
   * ```ts
   * await syn.inBox([0, 0, 0], [64, 64, 64]);
   * ```
   */
  inBox(start: readonly number[], stop: readonly number[], options?: InstanceCallOptions): Promise<AnnotationElement[]> {
    return getElementsInBox(this.ctx, start, stop, options);
  }

  /**
   * Elements by block for a voxel box.
   *
   * @example
   * ```ts
   * await syn.blocks([0, 0, 0], [128, 128, 128]);
   * ```
   */
  blocks(start: readonly number[], stop: readonly number[], options?: InstanceCallOptions): Promise<AnnotationBlock[]> {
    return getBlockElements(this.ctx, start, stop, options);
  }

  /**
   * Every element, by block.
   *
   * @example
   * ```ts
   * await syn.all();
   * ```
   */
  all(options?: InstanceCallOptions): Promise<AnnotationBlock[]> {
    return getAllElements(this.ctx, options);
  }

  /**
   * Elements on a label.
   *
   * @example
   * ```ts
   * await syn.byLabel(7n, { relationships: true });
   * ```
   */
  byLabel(label: LabelId, options?: RelationshipOptions): Promise<AnnotationElement<VerboseRelationship>[]> {
    return getLabelElements(this.ctx, label, options);
  }

  /**
   * Elements with a tag.
   *
   * @example
   * ```ts
   * await syn.byTag('t1');
   * ```
   */
  byTag(tag: string, options?: RelationshipOptions): Promise<AnnotationElement<VerboseRelationship>[]> {
    return getTagElements(this.ctx, tag, options);
  }

  /**
   * Elements in an ROI's blocks.
   *
   * @example
   * ```ts
   * await syn.inRoi('mb');
   * ```
   */
  inRoi(roiName: string, options?: RoiElementsOptions): Promise<AnnotationElement[]> {
    return getRoiElements(this.ctx, roiName, options);
  }

  /**
   * Low-level block ingest. See {@link postElementBlocks}.
   *
   * @example
   * ```ts
   * await syn.postBlocks(groupElementsByBlock(elements));
   * ```
   */
  postBlocks(blocks: Readonly<Record<string, readonly AnnotationElementInput[]>>, options?: AnnotationWriteOptions): Promise<void> {
    return postElementBlocks(this.ctx, blocks, options);
  }

  /**
   * Stores the label index directly. See {@link postLabelElements}.
   *
   * @example
   * ```ts
   * await syn.postLabels(new Map([[7n, elements]]));
   * ```
   */
  postLabels(
    labels: ReadonlyMap<LabelId, readonly AnnotationElementInput[]> | Readonly<Record<string, readonly AnnotationElementInput[]>>,
    options?: InstanceCallOptions,
  ): Promise<void> {
    return postLabelElements(this.ctx, labels, options);
  }

  /**
   * Starts the background index rebuild.
   *
   * @example
   * ```ts
   * await syn.reload();
   * ```
   */
  reload(options?: ReloadOptions): Promise<void> {
    return reloadAnnotation(this.ctx, options);
  }

  /**
   * Block-index statistics.
   *
   * @example
   * ```ts
   * await syn.scan();
   * ```
   */
  scan(options?: ScanOptions): Promise<AnnotationScan> {
    return scanAnnotation(this.ctx, options);
  }

  /**
   * Syncs with a label instance (labelmap, labelarray, labelblk).
   *
   * @example
   * ```ts
   * await syn.sync('segmentation');
   * ```
   */
  sync(labelInstance: string | readonly string[], options?: SetSyncOptions): Promise<void> {
    return setInstanceSync(this.ctx, labelInstance, options);
  }

  /**
   * Waits for the label index. See {@link waitForLabelElements}.
   *
   * @example
   * ```ts
   * await syn.waitForLabel(7n, (e) => e.length === 2);
   * ```
   */
  waitForLabel(
    label: LabelId,
    accept?: (elements: AnnotationElement<VerboseRelationship>[]) => boolean,
    options?: PollOptions & RelationshipOptions,
  ): Promise<AnnotationElement<VerboseRelationship>[]> {
    return waitForLabelElements(this.ctx, label, accept, options);
  }

  /**
   * Instance tags.
   *
   * @example
   * ```ts
   * await syn.tags();
   * ```
   */
  tags(options?: InstanceCallOptions): Promise<Record<string, string>> {
    return getInstanceTags(this.ctx, options);
  }

  /**
   * Sets instance tags. `ScanAllForBlocks: 'true'` makes DVID's `blocks` reads use one range scan.
   *
   * @example
   * ```ts
   * await syn.setTags({ ScanAllForBlocks: 'true' });
   * ```
   */
  setTags(tags: Record<string, string>, options?: SetTagsOptions): Promise<void> {
    return setInstanceTags(this.ctx, tags, options);
  }
}
