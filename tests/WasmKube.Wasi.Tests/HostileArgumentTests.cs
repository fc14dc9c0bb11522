using System.Buffers.Binary;
using WasmKube.Wasi.Abi;

namespace WasmKube.Wasi.Tests;

/// <summary>
/// Counts and pointers a guest controls: whatever they are, a call answers an errno or traps cleanly (out of bounds
/// memory access, as the guest's own load would), never with a host exception, and sizes never wrap around.
/// </summary>
public sealed class HostileArgumentTests : IDisposable
{
    private readonly TempTree _tree = new();
    private readonly GuestHarness _guest;

    public HostileArgumentTests()
    {
        _tree.File("box/file.txt", "content");
        _guest = new GuestHarness(new WasiConfiguration().WithArgs("prog", "x").WithEnvironment("A", "1").WithPreopenedDirectory(_tree["box"], "/box").WithStdout(WasiStdio.Stream(new MemoryStream())));
    }

    public void Dispose()
    {
        _guest.Dispose();
        _tree.Dispose();
    }

    [Theory]
    [InlineData(1 << 28)]          // 2^28 × 48 wraps to 0 in 32 bits
    [InlineData(0x5555556)]        // × 48 wraps to a small size
    [InlineData(-1)]               // 0xFFFFFFFF
    [InlineData(1 << 20)]          // no wrap, simply larger than memory
    public void Poll_with_a_huge_subscription_count_traps_cleanly(int count)
    {
        var subscriptions = _guest.Alloc(48);
        BinaryPrimitives.WriteUInt32LittleEndian(_guest.Memory.AsSpan(subscriptions + 8), 0); // a clock subscription
        var trap = Assert.Throws<WasiTrapException>(() =>
            _guest.Wasi.PollOneoff(_guest.Memory, subscriptions, _guest.Alloc(32), count, _guest.Alloc(4)));
        Assert.Equal(WasiTrapKind.MemoryOutOfBounds, trap.Kind);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1 << 29)]          // × 8 wraps to 0 in 32 bits
    [InlineData(0x20000001)]       // × 8 wraps to 8
    public void Iovec_counts_that_do_not_fit_in_memory_trap_in_every_vectored_call(int count)
    {
        var (iovs, _) = _guest.IoVecs(4);
        var file = _guest.Open(3, "file.txt", rights: Rights.FdRead | Rights.FdWrite | Rights.FdSeek).Fd;
        var result = _guest.Alloc(4);
        Action[] calls =
        [
            () => _guest.Wasi.FdWrite(_guest.Memory, 1, iovs, count, result),
            () => _guest.Wasi.FdRead(_guest.Memory, file, iovs, count, result),
            () => _guest.Wasi.FdPread(_guest.Memory, file, iovs, count, 0, result),
            () => _guest.Wasi.FdPwrite(_guest.Memory, file, iovs, count, 0, result),
        ];
        foreach (var call in calls) Assert.Equal(WasiTrapKind.MemoryOutOfBounds, Assert.Throws<WasiTrapException>(call).Kind);
        Assert.Equal("content", File.ReadAllText(_tree["box/file.txt"]));
    }

    [Fact]
    public void A_zero_iovec_count_writes_and_reads_nothing()
    {
        var result = _guest.Alloc(4);
        BinaryPrimitives.WriteUInt32LittleEndian(_guest.Memory.AsSpan(result), 99);
        Assert.Equal(Errno.Success, _guest.Wasi.FdWrite(_guest.Memory, 1, _guest.Alloc(8), 0, result));
        Assert.Equal(0u, _guest.U32(result));
    }

    [Fact]
    public void Argument_arrays_near_the_end_of_memory_trap_instead_of_wrapping_to_address_zero()
    {
        using var guest = new GuestHarness(new WasiConfiguration().WithArgs("a", "b"));
        guest.Memory.AsSpan(0, 16).Fill(0xAA);
        // The second argv pointer would land at 2^32, which wraps to 0 in 32-bit arithmetic.
        var trap = Assert.Throws<WasiTrapException>(() => guest.Wasi.ArgsGet(guest.Memory, -4, guest.Alloc(16)));
        Assert.Equal(WasiTrapKind.MemoryOutOfBounds, trap.Kind);
        Assert.All(guest.Memory.AsSpan(0, 16).ToArray(), b => Assert.Equal(0xAA, b));
    }

    /// <summary>Every call taking a pointer or a length, given one just past the end of memory.</summary>
    [Fact]
    public void Every_pointer_and_length_past_the_end_of_memory_traps_or_fails_with_an_errno()
    {
        var end = _guest.Memory.Length - 2;
        var good = _guest.Alloc(64);
        var (name, nameLength) = _guest.Str("file.txt");
        var file = _guest.Open(3, "file.txt", rights: Rights.FileAll).Fd;
        var w = _guest.Wasi;
        var m = _guest.Memory;
        var calls = new (string Name, Func<Errno> Call)[]
        {
            ("args_get", () => w.ArgsGet(m, end, end)),
            ("args_sizes_get", () => w.ArgsSizesGet(m, end, good)),
            ("environ_get", () => w.EnvironGet(m, good, end)),
            ("environ_sizes_get", () => w.EnvironSizesGet(m, good, end)),
            ("clock_time_get", () => w.ClockTimeGet(m, 0, 0, end)),
            ("clock_res_get", () => w.ClockResGet(m, 0, end)),
            ("random_get", () => w.RandomGet(m, end, 16)),
            ("random_get length", () => w.RandomGet(m, good, int.MaxValue)),
            ("fd_fdstat_get", () => w.FdFdstatGet(m, 3, end)),
            ("fd_filestat_get", () => w.FdFilestatGet(m, file, end)),
            ("fd_prestat_get", () => w.FdPrestatGet(m, 3, end)),
            ("fd_prestat_dir_name", () => w.FdPrestatDirName(m, 3, end, 16)),
            ("fd_read buffer", () => w.FdRead(m, file, IoVec(end, 16), 1, good)),
            ("fd_write buffer", () => w.FdWrite(m, file, IoVec(end, 16), 1, good)),
            ("fd_seek", () => w.FdSeek(m, file, 0, 0, end)),
            ("fd_tell", () => w.FdTell(m, file, end)),
            ("fd_readdir buffer", () => w.FdReaddir(m, 3, end, 64, 0, good)),
            ("fd_readdir used", () => w.FdReaddir(m, 3, good, 64, 0, end)),
            ("path_open path", () => w.PathOpen(m, 3, 0, end, 16, 0, 0, 0, 0, good)),
            ("path_open length", () => w.PathOpen(m, 3, 0, name, -1, 0, 0, 0, 0, good)),
            ("path_open result", () => w.PathOpen(m, 3, 0, name, nameLength, 0, (long)Rights.FdRead, 0, 0, end)),
            ("path_filestat_get", () => w.PathFilestatGet(m, 3, 0, name, nameLength, end)),
            ("path_readlink buffer", () => w.PathReadlink(m, 3, name, nameLength, end, 64, good)),
            ("path_create_directory", () => w.PathCreateDirectory(m, 3, end, 16)),
            ("path_unlink_file", () => w.PathUnlinkFile(m, 3, end, 16)),
            ("path_remove_directory", () => w.PathRemoveDirectory(m, 3, end, 16)),
            ("path_symlink target", () => w.PathSymlink(m, end, 16, 3, name, nameLength)),
            ("path_symlink path", () => w.PathSymlink(m, name, nameLength, 3, end, 16)),
            ("path_rename", () => w.PathRename(m, 3, name, nameLength, 3, end, 16)),
            ("path_link", () => w.PathLink(m, 3, 0, name, nameLength, 3, end, 16)),
            ("path_filestat_set_times", () => w.PathFilestatSetTimes(m, 3, 0, end, 16, 0, 0, 0)),
            ("poll_oneoff", () => w.PollOneoff(m, end, good, 1, good)),
            ("sock_recv", () => w.SockRecv(m, file, IoVec(end, 16), 1, 0, good, good)),
        };

        foreach (var (call, invoke) in calls)
        {
            try
            {
                var error = invoke();
                Assert.True(error != Errno.Success, $"{call} with an argument past the end of memory succeeded");
            }
            catch (WasiTrapException trap)
            {
                Assert.True(trap.Kind == WasiTrapKind.MemoryOutOfBounds, $"{call} trapped with {trap.Kind}");
            }
        }

        Assert.Equal("content", File.ReadAllText(_tree["box/file.txt"]));
        Assert.Equal(["file.txt"], Directory.GetFileSystemEntries(_tree["box"]).Select(Path.GetFileName));
    }

    private int IoVec(int pointer, int length)
    {
        var iov = _guest.Alloc(8);
        BinaryPrimitives.WriteInt32LittleEndian(_guest.Memory.AsSpan(iov), pointer);
        BinaryPrimitives.WriteInt32LittleEndian(_guest.Memory.AsSpan(iov + 4), length);
        return iov;
    }
}
