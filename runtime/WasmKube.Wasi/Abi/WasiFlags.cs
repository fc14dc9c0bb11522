namespace WasmKube.Wasi.Abi;

// Flag and enum values of wasi_snapshot_preview1 (witx typenames.witx). Internal: only the functions use them.

[Flags]
internal enum FdFlags : ushort
{
    None = 0, Append = 1, Dsync = 2, NonBlock = 4, Rsync = 8, Sync = 16,
}

[Flags]
internal enum OFlags : ushort
{
    None = 0, Creat = 1, Directory = 2, Excl = 4, Trunc = 8,
}

[Flags]
internal enum LookupFlags : uint
{
    None = 0, SymlinkFollow = 1,
}

[Flags]
internal enum FstFlags : ushort
{
    None = 0, Atim = 1, AtimNow = 2, Mtim = 4, MtimNow = 8,
}

internal enum Whence : byte
{
    Set = 0, Cur = 1, End = 2,
}

internal enum ClockId : uint
{
    Realtime = 0, Monotonic = 1, ProcessCputime = 2, ThreadCputime = 3,
}

internal enum EventType : byte
{
    Clock = 0, FdRead = 1, FdWrite = 2,
}

[Flags]
internal enum SdFlags : byte
{
    Rd = 1, Wr = 2,
}

[Flags]
internal enum RiFlags : ushort
{
    RecvPeek = 1, RecvWaitall = 2,
}

internal static class Advice
{
    public const byte Max = 5; // noreuse is the last of normal/sequential/random/willneed/dontneed/noreuse
}
