/**
 * The neuronjson accessor class: {@link NeuronjsonInstance}, one instance at one version, with
 * a method per call of `./neuronjson.ts` (where the DVID behaviour is documented).
 *
 * @example
 * ```ts
 * const nj = client.neuronjson(uuid, 'annotations');
 * await nj.put(7n, { status: 'Traced' });
 * ```
 * @module
 */
import {
  getInstanceInfo,
  getInstanceTags,
  setInstanceTags,
  InstanceAccessor,
  type InstanceCallOptions,
  type InstanceContext,
  type InstanceInfo,
  type SetTagsOptions,
} from './instance-common.js';
import type { LabelId } from './labelmap-common.js';
import {
  deleteNeuron,
  deleteNeuronSchema,
  getAllNeurons,
  getNeuron,
  getNeuronFields,
  getNeuronRange,
  getNeurons,
  getNeuronSchema,
  hasNeuron,
  listNeuronKeyRange,
  listNeuronKeys,
  putNeuron,
  putNeurons,
  putNeuronSchema,
  queryNeuronIds,
  queryNeurons,
  type GetNeuronsOptions,
  type NeuronQuery,
  type NeuronQueryOptions,
  type NeuronReadOptions,
  type NeuronRecord,
  type NeuronSchemaKind,
  type NeuronWriteOptions,
} from './neuronjson.js';

/**
 * One neuronjson instance at one version. Make it with `client.neuronjson(uuid, name)` or
 * `client.createNeuronjson(uuid, name)`.
 *
 * @example
 * ```ts
 * const nj = client.neuronjson(uuid, 'annotations');
 * await nj.put(7n, { type: 'KC' });
 * await nj.keys(); // [7n]
 * ```
 */
export class NeuronjsonInstance extends InstanceAccessor {
  /**
   * The same instance at another version.
   *
   * @example
   * ```ts
   * await nj.at(parent).get(7n);
   * ```
   */
  at(uuid: string): NeuronjsonInstance {
    return new NeuronjsonInstance({ ...this.ctx, uuid });
  }

  /**
   * `GET /info`.
   *
   * @example
   * ```ts
   * await nj.info();
   * ```
   */
  info(options?: InstanceCallOptions): Promise<InstanceInfo<Record<string, never>>> {
    return getInstanceInfo(this.ctx, options);
  }

  /**
   * One record, or `undefined`.
   *
   * @example
   * ```ts
   * await nj.get(7n, { show: 'time' });
   * ```
   */
  get(bodyId: LabelId, options?: NeuronReadOptions): Promise<NeuronRecord | undefined> {
    return getNeuron(this.ctx, bodyId, options);
  }

  /**
   * Merges (or with `replace`, replaces) one record.
   *
   * @example
   * ```ts
   * await nj.put(7n, { status: 'Traced' });
   * ```
   */
  put(bodyId: LabelId, record: NeuronRecord, options?: NeuronWriteOptions): Promise<void> {
    return putNeuron(this.ctx, bodyId, record, options);
  }

  /**
   * Deletes one record.
   *
   * @example
   * ```ts
   * await nj.delete(7n);
   * ```
   */
  delete(bodyId: LabelId, options?: InstanceCallOptions): Promise<void> {
    return deleteNeuron(this.ctx, bodyId, options);
  }

  /**
   * True when the body has a record.
   *
   * @example
   * ```ts
   * await nj.has(7n);
   * ```
   */
  has(bodyId: LabelId, options?: InstanceCallOptions): Promise<boolean> {
    return hasNeuron(this.ctx, bodyId, options);
  }

  /**
   * All body IDs.
   *
   * @example
   * ```ts
   * await nj.keys();
   * ```
   */
  keys(options?: InstanceCallOptions): Promise<bigint[]> {
    return listNeuronKeys(this.ctx, options);
  }

  /**
   * Body IDs in `[first, last]`.
   *
   * @example
   * ```ts
   * await nj.keyRange(0n, 100n);
   * ```
   */
  keyRange(first: LabelId, last: LabelId, options?: InstanceCallOptions): Promise<bigint[]> {
    return listNeuronKeyRange(this.ctx, first, last, options);
  }

  /**
   * Records in `[first, last]`.
   *
   * @example
   * ```ts
   * await nj.range(0n, 100n);
   * ```
   */
  range(first: LabelId, last: LabelId, options?: NeuronReadOptions): Promise<Map<bigint, NeuronRecord>> {
    return getNeuronRange(this.ctx, first, last, options);
  }

  /**
   * Records of many bodies.
   *
   * @example
   * ```ts
   * await nj.getMany([7n, 8n]);
   * ```
   */
  getMany(bodyIds: Iterable<LabelId>, options?: GetNeuronsOptions): Promise<Map<bigint, NeuronRecord>> {
    return getNeurons(this.ctx, bodyIds, options);
  }

  /**
   * Writes many records.
   *
   * @example
   * ```ts
   * await nj.putMany(new Map([[7n, { type: 'KC' }]]));
   * ```
   */
  putMany(records: ReadonlyMap<LabelId, NeuronRecord> | Iterable<readonly [LabelId, NeuronRecord]>, options?: NeuronWriteOptions): Promise<void> {
    return putNeurons(this.ctx, records, options);
  }

  /**
   * Every record.
   *
   * @example
   * ```ts
   * await nj.all();
   * ```
   */
  all(options?: NeuronReadOptions): Promise<NeuronRecord[]> {
    return getAllNeurons(this.ctx, options);
  }

  /**
   * Records matching a query.
   *
   * @example
   * ```ts
   * await nj.query({ type: 'KC' });
   * ```
   */
  query(query: NeuronQuery | readonly NeuronQuery[], options?: NeuronQueryOptions): Promise<NeuronRecord[]> {
    return queryNeurons(this.ctx, query, options);
  }

  /**
   * Body IDs matching a query.
   *
   * @example
   * ```ts
   * await nj.queryIds({ type: 'KC' });
   * ```
   */
  queryIds(query: NeuronQuery | readonly NeuronQuery[], options?: NeuronQueryOptions): Promise<bigint[]> {
    return queryNeuronIds(this.ctx, query, options);
  }

  /**
   * Field names in use.
   *
   * @example
   * ```ts
   * await nj.fields();
   * ```
   */
  fields(options?: InstanceCallOptions): Promise<string[]> {
    return getNeuronFields(this.ctx, options);
  }

  /**
   * A schema document, or `undefined`.
   *
   * @example
   * ```ts
   * await nj.schema('json_schema');
   * ```
   */
  schema(kind: NeuronSchemaKind, options?: InstanceCallOptions): Promise<unknown> {
    return getNeuronSchema(this.ctx, kind, options);
  }

  /**
   * Stores a schema document.
   *
   * @example
   * ```ts
   * await nj.putSchema('schema', { fields: [] });
   * ```
   */
  putSchema(kind: NeuronSchemaKind, schema: unknown, options?: InstanceCallOptions): Promise<void> {
    return putNeuronSchema(this.ctx, kind, schema, options);
  }

  /**
   * Deletes a schema document.
   *
   * @example
   * ```ts
   * await nj.deleteSchema('schema');
   * ```
   */
  deleteSchema(kind: NeuronSchemaKind, options?: InstanceCallOptions): Promise<void> {
    return deleteNeuronSchema(this.ctx, kind, options);
  }

  /**
   * Instance tags.
   *
   * @example
   * ```ts
   * await nj.tags();
   * ```
   */
  tags(options?: InstanceCallOptions): Promise<Record<string, string>> {
    return getInstanceTags(this.ctx, options);
  }

  /**
   * Sets instance tags.
   *
   * @example
   * ```ts
   * await nj.setTags({ owner: 'alice' });
   * ```
   */
  setTags(tags: Record<string, string>, options?: SetTagsOptions): Promise<void> {
    return setInstanceTags(this.ctx, tags, options);
  }
}
