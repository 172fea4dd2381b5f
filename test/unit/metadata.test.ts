import { describe, expect, it } from 'vitest';
import { DvidArgumentError, SchemaValidationError, VoxelsMetadata, toDvidConfig, voxelsTypename } from '../../src/index.js';

// /metadata of a uint8blk instance with data at x 32..95, y 0..31, z -32..-1 (DVID's shape).
const REAL = {
  Axes: [
    { Label: 'X', Resolution: 4, Units: 'nanometers', Size: 64, Offset: 32 },
    { Label: 'Y', Resolution: 4, Units: 'nanometers', Size: 32, Offset: 0 },
    { Label: 'Z', Resolution: 40, Units: 'nanometers', Size: 32, Offset: -32 },
  ],
  Properties: {
    Values: [{ DataType: 'uint8', Label: 'uint8' }],
    Interpolable: true,
    BlockSize: [32, 32, 32],
    VoxelSize: [4, 4, 40],
    VoxelUnits: ['nanometers', 'nanometers', 'nanometers'],
    MinPoint: [32, 0, -32],
    MaxPoint: [95, 31, -1],
  },
} as const;

describe('VoxelsMetadata', () => {
  it('derives pydvid values from DVID /metadata: channel first, shape is the stop coordinate', () => {
    const md = new VoxelsMetadata(structuredClone(REAL) as never);
    expect(md.axes).toBe('cxyz');
    expect(md.dtype).toBe('uint8');
    expect(md.channels).toBe(1);
    expect(md.minIndex).toEqual([0, 32, 0, -32]);
    expect(md.shape).toEqual([1, 96, 32, 0]);
    expect(md.resolution).toEqual([4, 4, 40]);
    expect(md.units).toEqual(['nanometers', 'nanometers', 'nanometers']);
    expect(md.blockSize).toEqual([32, 32, 32]);
    expect(md.typename).toBe('uint8blk');
    expect(md.toJSON()).toEqual(REAL);
  });

  it('parses a JSON string and rejects what is not DVID metadata', () => {
    expect(new VoxelsMetadata(JSON.stringify(REAL)).shape).toEqual([1, 96, 32, 0]);
    expect(() => new VoxelsMetadata('{not json')).toThrow(DvidArgumentError);
    const bad = structuredClone(REAL) as unknown as { Axes: { Size: unknown }[] };
    bad.Axes[0].Size = 'big';
    const err = (() => {
      try {
        return new VoxelsMetadata(bad as never);
      } catch (e) {
        return e;
      }
    })() as SchemaValidationError;
    expect(err).toBeInstanceOf(SchemaValidationError);
    expect(err.issues[0]).toEqual({ path: '/Axes/0/Size', message: 'must be integer' });
    const mixed = structuredClone(REAL) as unknown as { Properties: { Values: unknown[] } };
    mixed.Properties.Values = [{ DataType: 'uint8', Label: 'a' }, { DataType: 'uint16', Label: 'b' }];
    expect(() => new VoxelsMetadata(mixed as never)).toThrow(/different types/);
  });

  it('createDefault builds pydvid\'s default metadata (size 0 = empty)', () => {
    const md = VoxelsMetadata.createDefault([4, 0, 0, 0], 'uint8', 'cxyz', 1.0, '');
    expect(md.typename).toBe('rgba8blk');
    expect(md.shape).toEqual([4, 0, 0, 0]);
    expect(md.minIndex).toEqual([0, 0, 0, 0]);
    expect(md.json.Axes.map((a) => a.Label)).toEqual(['X', 'Y', 'Z']);
    const aniso = VoxelsMetadata.createDefault([1, 10, 20, 30], 'float32', 'cxyz', [4, 4, 40], 'nanometers');
    expect(aniso.shape).toEqual([1, 10, 20, 30]);
    expect(aniso.resolution).toEqual([4, 4, 40]);
    expect(() => VoxelsMetadata.createDefault([1, 0, 0], 'uint8', 'xyz')).toThrow(/channel axis must be first/);
    expect(() => VoxelsMetadata.createDefault([1, 0, 0], 'uint8', 'cxyz')).toThrow(/different lengths/);
    expect(() => VoxelsMetadata.createDefault([1, 0, 0, 0], 'uint8', 'cxyz', [1, 2])).toThrow(/3 resolutions/);
  });

  it('maps (dtype, channels) to current DVID type names and lists them when there is none', () => {
    expect(voxelsTypename('uint8', 1)).toBe('uint8blk');
    expect(voxelsTypename('uint8', 4)).toBe('rgba8blk');
    expect(voxelsTypename('uint16', 1)).toBe('uint16blk');
    expect(voxelsTypename('uint32', 1)).toBe('uint32blk');
    expect(voxelsTypename('uint64', 1)).toBe('uint64blk');
    expect(voxelsTypename('float32', 1)).toBe('float32blk');
    expect(() => voxelsTypename('int16', 1)).toThrow(/no voxel type for 1 channel of int16; supported: .*4 × uint8 \(rgba8blk\)/);
    expect(() => voxelsTypename('uint8', 3)).toThrow(DvidArgumentError);
  });
});

describe('toDvidConfig', () => {
  it('sends every config value as the string DVID requires', () => {
    expect(toDvidConfig({ BlockSize: [64, 64, 64], MaxDownresLevel: 2, IndexedLabels: false, VoxelUnits: ['nm', 'nm', 'nm'], Skip: undefined })).toEqual({
      BlockSize: '64,64,64',
      MaxDownresLevel: '2',
      IndexedLabels: 'false',
      VoxelUnits: 'nm,nm,nm',
    });
    expect(() => toDvidConfig({ BlockSize: { x: 1 } as never })).toThrow(/config.BlockSize/);
    expect(() => toDvidConfig({ Background: Number.NaN })).toThrow(/finite/);
  });
});
