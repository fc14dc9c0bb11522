using WasmKube.Wasi.Abi;

namespace WasmKube.Wasi.Descriptors;

/// <summary>One directory entry as fd_readdir reports it.</summary>
internal sealed record DirectoryEntry(ulong Inode, FileType Type, byte[] Name);
