/**
 * The mock's Go-compatible building blocks: number and string formatting, the JSON scanner's
 * error texts, DVID's config getters, geometry parsing and the sparse block store.
 */
import { describe, expect, it } from 'vitest';
import { BlockStore } from '../../mocks/blocks.js';
import { DvidConfig } from '../../mocks/config.js';
import { blockAligned, blockOf, parsePoint, parseSubvolume } from '../../mocks/geometry.js';
import { goDuration, goFloat, goJsonFloat, goParseFloat, goParseInt, goQuote, goQuoteChar, goValue } from '../../mocks/goformat.js';
import { float32, goJson, parseGoJson, sortedKeys } from '../../mocks/gojson.js';
import { parseHeaderList } from '../../mocks/cors.js';
import { cleanPath, matchPattern } from '../../mocks/router.js';

describe('Go formatting', () => {
  it('formats float64 like %v', () => {
    expect([64, 0.5, 123456, 1234567, 1e21, 1e-5, 0.0001, -2.5, 0].map(goFloat)).toEqual([
      '64', '0.5', '123456', '1.234567e+06', '1e+21', '1e-05', '0.0001', '-2.5', '0',
    ]);
  });

  it('formats floats like encoding/json, float32 with shortest digits', () => {
    expect(goJsonFloat(Math.fround(0.1), 32)).toBe('0.1');
    expect(goJsonFloat(Math.fround(40.1), 32)).toBe('40.1');
    expect(goJsonFloat(8, 32)).toBe('8');
    expect(goJsonFloat(1e21)).toBe('1e+21');
    expect(goJsonFloat(1e-7)).toBe('1e-7');
    expect(goJsonFloat(123456789)).toBe('123456789');
  });

  it('formats %v of decoded JSON', () => {
    expect(goValue([64, 'a', true, null, { z: 1, a: [2] }])).toBe('[64 a true <nil> map[a:[2] z:1]]');
  });

  it('quotes like strconv.Quote and names scanner characters', () => {
    expect(goQuote('a"b\\c\n\u0001é')).toBe('"a\\"b\\\\c\\n\\x01é"');
    expect(goQuoteChar("'")).toBe("'\\''");
    expect(goQuoteChar('"')).toBe(`'"'`);
    expect(goQuoteChar('\n')).toBe("'\\n'");
  });

  it('parses integers and floats with strconv errors', () => {
    expect(goParseInt(' 5'.trim(), 32)).toBe(5);
    expect(() => goParseInt('a', 32)).toThrow('strconv.ParseInt: parsing "a": invalid syntax');
    expect(() => goParseInt('99999999999', 32)).toThrow('strconv.ParseInt: parsing "99999999999": value out of range');
    expect(goParseFloat('4.5', 32)).toBe(4.5);
    expect(() => goParseFloat('1e50', 32)).toThrow('strconv.ParseFloat: parsing "1e50": value out of range');
  });

  it('formats durations like time.Duration', () => {
    expect(goDuration(5309)).toBe('5.309s');
    expect(goDuration(62_500)).toBe('1m2.5s');
    expect(goDuration(3_600_000)).toBe('1h0m0s');
    expect(goDuration(12.5)).toBe('12.5ms');
  });
});

describe('Go JSON', () => {
  const errorOf = (text: string, mode: 'decoder' | 'unmarshal' = 'decoder') => {
    const parsed = parseGoJson(text, mode);
    return parsed.ok ? undefined : parsed.error;
  };

  it('reports encoding/json syntax errors', () => {
    expect(errorOf('notjson')).toBe("invalid character 'o' in literal null (expecting 'u')");
    expect(errorOf('{"a":')).toBe('unexpected EOF');
    expect(errorOf('{"a":', 'unmarshal')).toBe('unexpected end of JSON input');
    expect(errorOf('{"a" 1}')).toBe("invalid character '1' after object key");
    expect(errorOf('{"a":1 "b"}')).toBe(`invalid character '"' after object key:value pair`);
    expect(errorOf('{"a":1,}')).toBe("invalid character '}' looking for beginning of object key string");
    expect(errorOf('[1,]')).toBe("invalid character ']' looking for beginning of value");
    expect(errorOf('[1 2]')).toBe("invalid character '2' after array element");
    expect(errorOf('{"a":-}')).toBe("invalid character '}' in numeric literal");
    expect(errorOf('{"a":1.}')).toBe("invalid character '}' after decimal point in numeric literal");
    expect(errorOf('{"a":1e}')).toBe("invalid character '}' in exponent of numeric literal");
    expect(errorOf('{"a":"\\x"}')).toBe("invalid character 'x' in string escape code");
    expect(errorOf("{'a':1}")).toBe("invalid character '\\'' looking for beginning of object key string");
    expect(errorOf('{} x', 'unmarshal')).toBe("invalid character 'x' after top-level value");
    expect(errorOf('{} x')).toBeUndefined();
    expect(parseGoJson('  ', 'decoder')).toEqual({ ok: true, node: undefined });
  });

  it('writes like json.Marshal', () => {
    expect(goJson({ b: '<&>', a: [1, float32(0.1)], m: sortedKeys({ z: null, a: true }) })).toBe(
      '{"b":"\\u003c\\u0026\\u003e","a":[1,0.1],"m":{"a":true,"z":null}}',
    );
  });

  it('reads DVID configs with lower-cased keys and string-only getters', () => {
    const config = DvidConfig.fromBody('{"BlockSize":"64,64,64","Throttle":"x","Background":7}');
    expect(config.getString('blocksize')).toEqual({ found: true, value: '64,64,64' });
    expect(config.getString('Background').error).toBe("Setting for 'Background' was not a string: 7");
    expect(config.getInt('throttle').error).toBe('strconv.Atoi: parsing "x": invalid syntax');
    expect(config.toGoString()).toBe('{map[background:7 blocksize:64,64,64 throttle:x]}');
    expect(() => DvidConfig.fromBody('"s"')).toThrow(
      'Malformed JSON request in body: json: cannot unmarshal string into Go value of type map[string]interface {}',
    );
  });
});

describe('geometry, routing and CORS helpers', () => {
  it('parses points and boxes like DVID', () => {
    expect(parsePoint('1, 2 ,3', ',')).toEqual([1, 2, 3]);
    expect(() => parsePoint('64', ',')).toThrow("Cannot convert '64' into a Point.");
    expect(() => parseSubvolume('0_0', '1_1_1')).toThrow('Offset must be 3d coordinate, not 2-d coordinate');
    expect(blockAligned({ offset: [-32, 0, 32], size: [32, 64, 32] }, [32, 32, 32])).toBe(true);
    expect(blockAligned({ offset: [-31, 0, 0], size: [32, 32, 32] }, [32, 32, 32])).toBe(false);
    expect(blockOf([-1, -32, -33], [32, 32, 32])).toEqual([-1, -1, -2]);
  });

  it('matches goji-like patterns and cleans paths like net/http', () => {
    expect(matchPattern('/api/repo/:uuid/info', '/api/repo/ab/info')).toEqual({ uuid: 'ab' });
    expect(matchPattern('/api/repo/:uuid/info', '/api/repo//info')).toBeUndefined();
    expect(matchPattern('/api/server/:action', '/api/server/info/')).toBeUndefined();
    expect(matchPattern('/api/node/:u/:d/:k/*', '/api/node/a/b/c')).toEqual({ u: 'a', d: 'b', k: 'c', '*': '' });
    expect(cleanPath('/api//node/./x/../info/')).toBe('/api/node/info/');
  });

  it('parses requested CORS headers like rs/cors', () => {
    expect(parseHeaderList('content-type, X-FOO,x_bar')).toEqual(['Content-Type', 'X-Foo', 'X_Bar']);
  });
});

describe('BlockStore', () => {
  it('keeps blocks sparse and copies X runs both ways', () => {
    const store = new BlockStore([4, 4, 4], 2);
    const box = { offset: [-2, 1, 3] as [number, number, number], size: [6, 2, 2] as [number, number, number] };
    const data = new Uint8Array(6 * 2 * 2 * 2).map((_, i) => i + 1);
    store.write(box, data);
    expect(store.size).toBe(4);
    expect(store.read(box)).toEqual(data);
    const one = store.read({ offset: [1, 2, 4], size: [1, 1, 1] });
    const index = ((1 * 2 + 1) * 6 + 3) * 2;
    expect(Array.from(one)).toEqual([data[index], data[index + 1]]);
    expect(Array.from(store.read({ offset: [100, 100, 100], size: [2, 1, 1] }))).toEqual([0, 0, 0, 0]);
    const huge = store.read({ offset: [-2, 1, 3], size: [400, 2, 2] });
    expect(huge.subarray(0, 12)).toEqual(data.subarray(0, 12));
  });
});
