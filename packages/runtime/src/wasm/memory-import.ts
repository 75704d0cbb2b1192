/**
 * Reads, from a module's bytes, the minimum page count of the memory it imports. The host creates
 * that memory itself (so it can give it a maximum), and it must be at least this large;
 * `WebAssembly.Module.imports()` does not report limits, so the import section is read here.
 */
export function importedMemoryMinimumPages(bytes: Uint8Array): number | undefined {
  let offset = 8; // magic number and version
  const byte = () => {
    if (offset >= bytes.length) throw new RangeError('truncated wasm module');
    return bytes[offset++]!;
  };
  const leb = () => {
    let value = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const next = byte();
      value += (next & 0x7f) * 2 ** shift;
      if ((next & 0x80) === 0) return value;
    }
    throw new RangeError('malformed LEB128 number in wasm module');
  };
  const skip = (count: number) => {
    if (offset + count > bytes.length) throw new RangeError('truncated wasm module');
    offset += count;
  };
  const limits = () => {
    const flags = byte();
    const minimum = leb();
    if (flags & 1) leb();
    return minimum;
  };
  while (offset < bytes.length) {
    const sectionId = byte();
    const sectionSize = leb();
    if (sectionId !== 2) {
      skip(sectionSize);
      continue;
    }
    const count = leb();
    for (let index = 0; index < count; index++) {
      skip(leb()); // module name
      skip(leb()); // field name
      const kind = byte();
      if (kind === 0) leb(); // function: type index
      else if (kind === 1) {
        byte(); // table: element type
        limits();
      } else if (kind === 2) return limits();
      else if (kind === 3) skip(2); // global: value type, mutability
      else throw new RangeError(`unknown import kind ${kind} in wasm module`);
    }
    return undefined;
  }
  return undefined;
}
