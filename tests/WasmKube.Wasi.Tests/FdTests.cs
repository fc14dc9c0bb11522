using System.Text;
using WasmKube.Wasi.Abi;

namespace WasmKube.Wasi.Tests;

public sealed class FdTests : IDisposable
{
    private const int Dir = 3;
    private readonly TempTree _tree = new();

    public void Dispose() => _tree.Dispose();

    private GuestHarness Guest(Stream? stdout = null, Stream? stdin = null)
    {
        _tree.Dir("root");
        var configuration = new WasiConfiguration().WithPreopenedDirectory(_tree["root"], "/data");
        if (stdout is not null) configuration.WithStdout(WasiStdio.Stream(stdout));
        if (stdin is not null) configuration.WithStdin(WasiStdio.Stream(stdin));
        return new GuestHarness(configuration);
    }

    [Fact]
    public void Preopens_are_described_by_prestat_from_fd_3_and_end_with_EBADF()
    {
        using var guest = Guest();
        var prestat = guest.Alloc(8);
        Assert.Equal(Errno.Success, guest.Wasi.FdPrestatGet(guest.Memory, Dir, prestat));
        Assert.Equal(0, guest.Memory[prestat]);
        Assert.Equal((uint)"/data".Length, guest.U32(prestat + 4));
        var name = guest.Alloc(16);
        Assert.Equal(Errno.Success, guest.Wasi.FdPrestatDirName(guest.Memory, Dir, name, 5));
        Assert.Equal("/data", guest.Text(name, 5));
        Assert.Equal(Errno.NameTooLong, guest.Wasi.FdPrestatDirName(guest.Memory, Dir, name, 4));
        Assert.Equal(Errno.BadF, guest.Wasi.FdPrestatGet(guest.Memory, 4, prestat));
        Assert.Equal(Errno.BadF, guest.Wasi.FdPrestatGet(guest.Memory, 1, prestat));
    }

    [Fact]
    public void Fdstat_reports_type_and_rights()
    {
        using var guest = Guest();
        var stat = guest.Alloc(24);
        Assert.Equal(Errno.Success, guest.Wasi.FdFdstatGet(guest.Memory, Dir, stat));
        Assert.Equal((byte)FileType.Directory, guest.Memory[stat]);
        var rights = (Rights)guest.U64(stat + 8);
        Assert.True(rights.HasFlag(Rights.PathOpen | Rights.PathCreateFile | Rights.FdReaddir));
        Assert.False(rights.HasFlag(Rights.FdWrite));
        Assert.Equal(Errno.BadF, guest.Wasi.FdFdstatGet(guest.Memory, 99, stat));
    }

    [Fact]
    public void Written_data_reaches_captured_stdout_in_one_piece()
    {
        var stdout = new MemoryStream();
        using var guest = Guest(stdout);
        Assert.Equal(Errno.Success, guest.Write(1, "hello, ", "world", "\n"));
        Assert.Equal("hello, world\n", Encoding.UTF8.GetString(stdout.ToArray()));
        Assert.Equal(Errno.BadF, guest.Write(42, "x"));
    }

    [Fact]
    public void Stdin_reads_from_the_given_stream_until_end_of_file()
    {
        using var guest = Guest(stdin: new MemoryStream("line one\n"u8.ToArray()));
        Assert.Equal((Errno.Success, "line one\n"), guest.Read(0));
        Assert.Equal((Errno.Success, ""), guest.Read(0));
    }

    [Fact]
    public void Stdio_without_configuration_is_empty_and_discards_output()
    {
        using var guest = new GuestHarness(new WasiConfiguration());
        Assert.Equal((Errno.Success, ""), guest.Read(0));
        Assert.Equal(Errno.Success, guest.Write(1, "dropped"));
        Assert.Equal(Errno.NotCapable, guest.Write(0, "stdin is not writable"));
    }

    [Fact]
    public void Files_support_seek_tell_pread_pwrite_and_sizes()
    {
        using var guest = Guest();
        var (error, fd) = guest.Open(Dir, "f.txt", oflags: 1 /* creat */);
        Assert.Equal(Errno.Success, error);
        Assert.Equal(Errno.Success, guest.Write(fd, "0123456789"));

        var position = guest.Alloc(8);
        Assert.Equal(Errno.Success, guest.Wasi.FdTell(guest.Memory, fd, position));
        Assert.Equal(10ul, guest.U64(position));
        Assert.Equal(Errno.Success, guest.Wasi.FdSeek(guest.Memory, fd, -4, 2 /* end */, position));
        Assert.Equal(6ul, guest.U64(position));
        Assert.Equal((Errno.Success, "6789"), guest.Read(fd));
        Assert.Equal(Errno.Inval, guest.Wasi.FdSeek(guest.Memory, fd, 0, 3, position));
        Assert.Equal(Errno.Inval, guest.Wasi.FdSeek(guest.Memory, fd, -100, 0, position));

        var (iovs, buffers) = guest.IoVecs(3, 2);
        var count = guest.Alloc(4);
        Assert.Equal(Errno.Success, guest.Wasi.FdPread(guest.Memory, fd, iovs, 2, 2, count));
        Assert.Equal(5u, guest.U32(count));
        Assert.Equal("234", guest.Text(buffers[0], 3));
        Assert.Equal("56", guest.Text(buffers[1], 2));

        Assert.Equal(Errno.Success, guest.Wasi.FdPwrite(guest.Memory, fd, guest.CioVecs("AB"), 1, 0, count));
        Assert.Equal(Errno.Success, guest.Wasi.FdFilestatSetSize(guest.Memory, fd, 4));
        Assert.Equal(Errno.Success, guest.Wasi.FdDatasync(guest.Memory, fd));
        Assert.Equal(Errno.Success, guest.Wasi.FdSync(guest.Memory, fd));
        Assert.Equal(Errno.Success, guest.Wasi.FdClose(guest.Memory, fd));
        Assert.Equal("AB23", File.ReadAllText(_tree["root/f.txt"]));
        Assert.Equal(Errno.BadF, guest.Wasi.FdClose(guest.Memory, fd));
    }

    [Fact]
    public void Filestat_reports_size_type_and_times_and_times_can_be_set()
    {
        using var guest = Guest();
        _tree.File("root/sized.txt", new string('x', 1234));
        var (_, fd) = guest.Open(Dir, "sized.txt");
        var stat = guest.Alloc(64);
        Assert.Equal(Errno.Success, guest.Wasi.FdFilestatGet(guest.Memory, fd, stat));
        Assert.Equal((byte)FileType.RegularFile, guest.Memory[stat + 16]);
        Assert.Equal(1234ul, guest.U64(stat + 32));

        const long when = 1_000_000_000L * 1_500_000_000; // 2017-07-14
        Assert.Equal(Errno.Success, guest.Wasi.FdFilestatSetTimes(guest.Memory, fd, when, when, 0b0101 /* atim | mtim */));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_500_000_000).UtcDateTime, File.GetLastWriteTimeUtc(_tree["root/sized.txt"]));
        Assert.Equal(Errno.Inval, guest.Wasi.FdFilestatSetTimes(guest.Memory, fd, when, when, 0b0011 /* atim and atim_now */));
    }

    [Fact]
    public void Allocate_and_advise_work_on_files_and_check_arguments()
    {
        using var guest = Guest();
        var (_, fd) = guest.Open(Dir, "alloc.bin", oflags: 1);
        Assert.Equal(Errno.Success, guest.Wasi.FdAllocate(guest.Memory, fd, 0, 4096));
        Assert.Equal(4096, new FileInfo(_tree["root/alloc.bin"]).Length);
        Assert.Equal(Errno.Success, guest.Wasi.FdAdvise(guest.Memory, fd, 0, 0, 1 /* sequential */));
        Assert.Equal(Errno.Inval, guest.Wasi.FdAdvise(guest.Memory, fd, 0, 0, 9));
        Assert.Equal(Errno.Inval, guest.Wasi.FdAllocate(guest.Memory, fd, 0, 0));
    }

    [Fact]
    public void Rights_can_shrink_but_never_grow()
    {
        using var guest = Guest();
        var (_, fd) = guest.Open(Dir, "r.txt", oflags: 1);
        Assert.Equal(Errno.Success, guest.Wasi.FdFdstatSetRights(guest.Memory, fd, (long)Rights.FdRead, 0));
        Assert.Equal(Errno.NotCapable, guest.Write(fd, "no longer allowed"));
        Assert.Equal(Errno.NotCapable, guest.Wasi.FdFdstatSetRights(guest.Memory, fd, (long)(Rights.FdRead | Rights.FdWrite), 0));
    }

    [Fact]
    public void Fdstat_set_flags_switches_append_mode()
    {
        using var guest = Guest();
        _tree.File("root/log.txt", "start ");
        var (_, fd) = guest.Open(Dir, "log.txt", rights: Rights.FdWrite | Rights.FdFdstatSetFlags);
        Assert.Equal(Errno.Success, guest.Wasi.FdFdstatSetFlags(guest.Memory, fd, 1 /* append */));
        guest.Write(fd, "appended");
        var stat = guest.Alloc(24);
        guest.Wasi.FdFdstatGet(guest.Memory, fd, stat);
        Assert.Equal(1, guest.Memory[stat + 2]);
        guest.Wasi.FdClose(guest.Memory, fd);
        Assert.Equal("start appended", File.ReadAllText(_tree["root/log.txt"]));
        Assert.Equal(Errno.Inval, guest.Wasi.FdFdstatSetFlags(guest.Memory, Dir, 0x100));
    }

    [Fact]
    public void Renumber_moves_a_descriptor_over_another()
    {
        using var guest = Guest();
        _tree.File("root/a.txt", "A");
        _tree.File("root/b.txt", "B");
        var (_, a) = guest.Open(Dir, "a.txt");
        var (_, b) = guest.Open(Dir, "b.txt");
        Assert.Equal(Errno.Success, guest.Wasi.FdRenumber(guest.Memory, a, b));
        Assert.Equal((Errno.Success, "A"), guest.Read(b));
        Assert.Equal(Errno.BadF, guest.Read(a).Error);
        Assert.Equal(Errno.BadF, guest.Wasi.FdRenumber(guest.Memory, b, 77));
    }

    [Fact]
    public void Readdir_lists_entries_with_cookies_and_cuts_when_the_buffer_is_small()
    {
        using var guest = Guest();
        var names = new[] { "alpha", "beta", "gamma" };
        foreach (var n in names) _tree.File("root/" + n, n);
        _tree.Dir("root/sub");

        var listed = ReadAll(guest, 4096);
        string[] expected = [.. names, "sub", ".", ".."];
        Assert.Equal(expected.Order(StringComparer.Ordinal), listed.Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.Equal(FileType.Directory, listed.Single(e => e.Name == "sub").Type);
        Assert.Equal(FileType.RegularFile, listed.Single(e => e.Name == "beta").Type);

        // A buffer that fits about one entry at a time still walks the whole directory through the cookies.
        Assert.Equal(listed.Select(e => e.Name).Order(), ReadAll(guest, 40).Select(e => e.Name).Order());
    }

    [Fact]
    public void Readdir_at_a_preopen_root_does_not_reveal_the_host_parent()
    {
        using var guest = Guest();
        var parentInode = InodeOf(_tree.Root);
        var buffer = guest.Alloc(4096);
        var used = guest.Alloc(4);
        Assert.Equal(Errno.Success, guest.Wasi.FdReaddir(guest.Memory, Dir, buffer, 4096, 0, used));
        var inodes = new Dictionary<string, ulong>();
        for (var offset = 0; offset + 24 <= (int)guest.U32(used);)
        {
            var length = (int)guest.U32(buffer + offset + 16);
            inodes[guest.Text(buffer + offset + 24, length)] = guest.U64(buffer + offset + 8);
            offset += 24 + length;
        }

        Assert.NotEqual(parentInode, inodes[".."]);
        Assert.Equal(inodes["."], inodes[".."]);
    }

    [Fact]
    public void Readdir_on_a_file_is_refused()
    {
        using var guest = Guest();
        _tree.File("root/f", "x");
        var (_, fd) = guest.Open(Dir, "f", rights: Rights.FdRead | Rights.FdReaddir);
        var buffer = guest.Alloc(128);
        var used = guest.Alloc(4);
        Assert.NotEqual(Errno.Success, guest.Wasi.FdReaddir(guest.Memory, fd, buffer, 128, 0, used));
    }

    private static ulong InodeOf(string path)
    {
        using var stat = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("stat", ["-c", "%i", path]) { RedirectStandardOutput = true })!;
        var output = stat.StandardOutput.ReadToEnd();
        stat.WaitForExit();
        return ulong.Parse(output.Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static List<(string Name, FileType Type)> ReadAll(GuestHarness guest, int bufferSize)
    {
        var result = new List<(string, FileType)>();
        var buffer = guest.Alloc(bufferSize);
        var used = guest.Alloc(4);
        long cookie = 0;
        while (true)
        {
            Assert.Equal(Errno.Success, guest.Wasi.FdReaddir(guest.Memory, Dir, buffer, bufferSize, cookie, used));
            var length = (int)guest.U32(used);
            var offset = 0;
            var progressed = false;
            while (offset + 24 <= length)
            {
                var nameLength = (int)guest.U32(buffer + offset + 16);
                if (offset + 24 + nameLength > length) break; // cut entry: ask again from its cookie
                result.Add((guest.Text(buffer + offset + 24, nameLength), (FileType)guest.Memory[buffer + offset + 20]));
                cookie = (long)guest.U64(buffer + offset);
                offset += 24 + nameLength;
                progressed = true;
            }

            if (length < bufferSize && offset == length) return result;
            Assert.True(progressed, "a buffer of this size must hold at least one entry");
        }
    }
}
