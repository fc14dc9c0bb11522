using System.Security.Cryptography;
using WasmKube.Wasi.Abi;
using WasmKube.Wasi.Descriptors;
using WasmKube.Wasi.Native;

namespace WasmKube.Wasi;

/// <summary>
/// The 46 functions of <c>wasi_snapshot_preview1</c> (WebAssembly/WASI, phases/snapshot/witx), each taking the guest's
/// memory as a plain span so it can be exercised without an engine. Pointers are guest addresses; a pointer outside
/// memory ends the guest with a <see cref="WasiTrapException"/>; every other failure is an <see cref="Errno"/>. The
/// engine bindings of WasmKube.Guest bind them to each engine's linker.
/// </summary>
public sealed unsafe partial class WasiPreview1
{
    public const string ModuleName = "wasi_snapshot_preview1";

    private readonly WasiContext _context;
    private readonly long _monotonicOrigin;

    public WasiPreview1(WasiContext context)
    {
        _context = context;
        // The guest's monotonic clock starts near zero: it need not learn the host's uptime.
        _monotonicOrigin = ClockNanoseconds(1) - 1;
    }

    public WasiContext Context => _context;

    internal void ThrowIfStopped()
    {
        if (_context.Cancellation.IsCancellationRequested) throw new WasiTrapException(WasiTrapKind.Interrupted, "interrupted: the guest was stopped");
    }

    public Errno ArgsSizesGet(Span<byte> memory, int argcPointer, int bufferSizePointer) =>
        SizesGet(new GuestMemory(memory), _context.Args, argcPointer, bufferSizePointer);

    public Errno ArgsGet(Span<byte> memory, int argvPointer, int bufferPointer) =>
        StringsGet(new GuestMemory(memory), _context.Args, argvPointer, bufferPointer);

    public Errno EnvironSizesGet(Span<byte> memory, int countPointer, int bufferSizePointer) =>
        SizesGet(new GuestMemory(memory), _context.Environment, countPointer, bufferSizePointer);

    public Errno EnvironGet(Span<byte> memory, int environPointer, int bufferPointer) =>
        StringsGet(new GuestMemory(memory), _context.Environment, environPointer, bufferPointer);

    public Errno ClockResGet(Span<byte> memory, int clockId, int resolutionPointer)
    {
        if ((uint)clockId > (uint)ClockId.ThreadCputime) return Errno.Inval;
        HostCalls.Timespec resolution;
        if (HostCalls.ClockGetres(clockId, &resolution) < 0) return ErrnoMap.Last();
        new GuestMemory(memory).WriteU64(resolutionPointer, (ulong)(resolution.Seconds * 1_000_000_000 + resolution.Nanoseconds));
        return Errno.Success;
    }

    public Errno ClockTimeGet(Span<byte> memory, int clockId, long precision, int timePointer)
    {
        if ((uint)clockId > (uint)ClockId.ThreadCputime) return Errno.Inval;
        var now = ClockNanoseconds(clockId);
        if (clockId == (int)ClockId.Monotonic) now -= _monotonicOrigin;
        new GuestMemory(memory).WriteU64(timePointer, (ulong)now);
        return Errno.Success;
    }

    public Errno RandomGet(Span<byte> memory, int bufferPointer, int length)
    {
        RandomNumberGenerator.Fill(new GuestMemory(memory).Slice(bufferPointer, length));
        return Errno.Success;
    }

    /// <summary>Ends the guest: the embedder sees <see cref="WasiExitException"/> with this code.</summary>
    public void ProcExit(int code) => throw new WasiExitException(code);

    /// <summary>Signals are not part of the capability model; a guest cannot signal even itself.</summary>
    public Errno ProcRaise(int signal) => Errno.NotSup;

    public Errno SchedYield()
    {
        Thread.Yield();
        return Errno.Success;
    }

    /// <summary>The guest's view of a clock (monotonic relative to the host's boot; shifted by the caller).</summary>
    internal static long ClockNanoseconds(int clockId)
    {
        HostCalls.Timespec time;
        HostCalls.ClockGettime(clockId, &time);
        return time.Seconds * 1_000_000_000 + time.Nanoseconds;
    }

    internal long MonotonicNow() => ClockNanoseconds((int)ClockId.Monotonic) - _monotonicOrigin;

    private static Errno SizesGet(GuestMemory memory, IReadOnlyList<byte[]> strings, int countPointer, int sizePointer)
    {
        var size = 0u;
        foreach (var s in strings) size += (uint)s.Length + 1;
        memory.WriteU32(countPointer, (uint)strings.Count);
        memory.WriteU32(sizePointer, size);
        return Errno.Success;
    }

    private static Errno StringsGet(GuestMemory memory, IReadOnlyList<byte[]> strings, int pointers, int buffer)
    {
        var size = 0u;
        foreach (var s in strings) size += (uint)s.Length + 1;
        // Both arrays are checked whole, so no address can wrap around into memory.
        var pointerArray = memory.Array(pointers, strings.Count, 4);
        memory.Slice((uint)buffer, size);
        var cursor = (uint)buffer;
        for (var i = 0; i < strings.Count; i++)
        {
            var s = strings[i];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(pointerArray[(i * 4)..], cursor);
            var target = memory.Slice(cursor, (uint)s.Length + 1);
            s.CopyTo(target);
            target[^1] = 0;
            cursor += (uint)s.Length + 1;
        }

        return Errno.Success;
    }

    private Errno Lookup(int fd, Rights required, out Descriptor descriptor)
    {
        descriptor = null!;
        if (_context.Get(fd) is not { } found) return Errno.BadF;
        if ((found.Base & required) != required) return Errno.NotCapable;
        descriptor = found;
        return Errno.Success;
    }

    private Errno LookupHost(int fd, Rights required, out HostDescriptor descriptor)
    {
        descriptor = null!;
        var error = Lookup(fd, required, out var found);
        if (error != Errno.Success) return error;
        if (found is not HostDescriptor host) return found is SocketDescriptor or StreamDescriptor ? Errno.SPipe : Errno.BadF;
        descriptor = host;
        return Errno.Success;
    }

    private Errno LookupDirectory(int fd, Rights required, out HostDescriptor directory)
    {
        directory = null!;
        if (_context.Get(fd) is not { } found) return Errno.BadF;
        if (found is not HostDescriptor { Type: FileType.Directory } host) return Errno.NotDir;
        if ((found.Base & required) != required) return Errno.NotCapable;
        directory = host;
        return Errno.Success;
    }
}
