using WasmKube.Wasi.Abi;

namespace WasmKube.Wasi.Tests;

public sealed class PathTests : IDisposable
{
    private const int Dir = 3;
    private const int Creat = 1, Directory = 2, Excl = 4, Trunc = 8;
    private readonly TempTree _tree = new();

    public PathTests() => _tree.Dir("root");

    public void Dispose() => _tree.Dispose();

    private GuestHarness Guest() => new(new WasiConfiguration().WithPreopenedDirectory(_tree["root"], "/data"));

    [Fact]
    public void Open_creates_writes_and_reads_back()
    {
        using var guest = Guest();
        var (error, fd) = guest.Open(Dir, "new.txt", Creat | Excl);
        Assert.Equal(Errno.Success, error);
        guest.Write(fd, "content");
        Assert.Equal("content", File.ReadAllText(_tree["root/new.txt"]));
        Assert.Equal(Errno.Exist, guest.Open(Dir, "new.txt", Creat | Excl).Error);

        var (_, again) = guest.Open(Dir, "new.txt", Trunc);
        Assert.Equal(0, new FileInfo(_tree["root/new.txt"]).Length);
        guest.Wasi.FdClose(guest.Memory, again);
    }

    [Fact]
    public void A_directory_opened_with_O_DIRECTORY_and_a_write_right_is_EISDIR()
    {
        using var guest = Guest();
        _tree.Dir("root/sub");
        Assert.Equal(Errno.IsDir, guest.Open(Dir, "sub", Directory, Rights.FdReaddir | Rights.FdWrite).Error);
        Assert.Equal(Errno.IsDir, guest.Open(Dir, ".", Directory, Rights.FdWrite).Error);
        var (error, fd) = guest.Open(Dir, "sub", Directory, Rights.FdReaddir | Rights.PathOpen);
        Assert.Equal(Errno.Success, error);
        Assert.Equal(Errno.NotCapable, guest.Write(fd, "x"));
        // O_DIRECTORY | O_CREAT makes nothing, whatever the kernel's version would do with it.
        Assert.Equal(Errno.Inval, guest.Open(Dir, "made", Directory | Creat, Rights.FdReaddir).Error);
        Assert.False(Path.Exists(_tree["root/made"]));
    }

    [Fact]
    public void Open_reports_missing_files_and_type_mismatches()
    {
        using var guest = Guest();
        _tree.File("root/file", "x");
        Assert.Equal(Errno.NoEnt, guest.Open(Dir, "missing").Error);
        Assert.Equal(Errno.NoEnt, guest.Open(Dir, "").Error);
        Assert.Equal(Errno.NotDir, guest.Open(Dir, "file", Directory, Rights.FdReaddir).Error);
        Assert.Equal(Errno.NotDir, guest.Open(Dir, "file/below").Error);
        Assert.Equal(Errno.NotDir, guest.Open(1, "file").Error);
        Assert.Equal(Errno.BadF, guest.Open(55, "file").Error);
        Assert.Equal(Errno.Inval, guest.Open(Dir, "file", 0x40).Error);
    }

    [Fact]
    public void A_directory_opened_through_a_preopen_can_open_files_below_it()
    {
        using var guest = Guest();
        _tree.File("root/a/b/c.txt", "deep");
        var (error, sub) = guest.Open(Dir, "a/b", Directory, Rights.DirectoryAll);
        Assert.Equal(Errno.Success, error);
        var (_, fd) = guest.Open(sub, "c.txt", rights: Rights.FdRead);
        Assert.Equal("deep", guest.Read(fd).Text);
        Assert.Equal(Errno.NotCapable, guest.Open(sub, "../../../outside").Error);
    }

    [Fact]
    public void Directories_are_created_and_removed()
    {
        using var guest = Guest();
        Assert.Equal(Errno.Success, guest.Mkdir(Dir, "made"));
        Assert.True(System.IO.Directory.Exists(_tree["root/made"]));
        Assert.Equal(Errno.Exist, guest.Mkdir(Dir, "made"));
        _tree.File("root/made/file", "x");
        Assert.Equal(Errno.NotEmpty, guest.Rmdir(Dir, "made"));
        Assert.Equal(Errno.NotDir, guest.Rmdir(Dir, "made/file"));
        Assert.Equal(Errno.Success, guest.Unlink(Dir, "made/file"));
        Assert.Equal(Errno.Success, guest.Rmdir(Dir, "made/"));
        Assert.False(System.IO.Directory.Exists(_tree["root/made"]));
        Assert.Equal(Errno.NoEnt, guest.Rmdir(Dir, "made"));
    }

    [Fact]
    public void Unlink_removes_files_but_not_directories()
    {
        using var guest = Guest();
        _tree.File("root/f", "x");
        _tree.Dir("root/d");
        Assert.Equal(Errno.IsDir, guest.Unlink(Dir, "d"));
        Assert.Equal(Errno.Success, guest.Unlink(Dir, "f"));
        Assert.False(File.Exists(_tree["root/f"]));
        Assert.Equal(Errno.NoEnt, guest.Unlink(Dir, "f"));
    }

    [Fact]
    public void Rename_moves_within_and_between_preopened_directories()
    {
        _tree.Dir("other");
        _tree.File("root/from.txt", "moving");
        using var guest = new GuestHarness(new WasiConfiguration()
            .WithPreopenedDirectory(_tree["root"], "/data").WithPreopenedDirectory(_tree["other"], "/other"));
        Assert.Equal(Errno.Success, guest.Rename(Dir, "from.txt", Dir, "to.txt"));
        Assert.Equal(Errno.Success, guest.Rename(Dir, "to.txt", 4, "moved.txt"));
        Assert.Equal("moving", File.ReadAllText(_tree["other/moved.txt"]));
        Assert.Equal(Errno.NoEnt, guest.Rename(Dir, "from.txt", Dir, "x"));
    }

    [Fact]
    public void Symlinks_are_created_read_and_followed_inside()
    {
        using var guest = Guest();
        _tree.File("root/target.txt", "pointed at");
        Assert.Equal(Errno.Success, guest.Symlink("target.txt", Dir, "link"));
        Assert.Equal((Errno.Success, "target.txt"), guest.Readlink(Dir, "link"));
        Assert.Equal(Errno.Inval, guest.Readlink(Dir, "target.txt").Error);
        Assert.Equal(Errno.Exist, guest.Symlink("x", Dir, "link"));
        Assert.Equal("pointed at", guest.Read(guest.Open(Dir, "link", rights: Rights.FdRead).Fd).Text);

        var followed = guest.Stat(Dir, "link");
        var notFollowed = guest.Stat(Dir, "link", follow: false);
        Assert.Equal(FileType.RegularFile, followed.Type);
        Assert.Equal(10ul, followed.Size);
        Assert.Equal(FileType.SymbolicLink, notFollowed.Type);
    }

    [Fact]
    public void Hard_links_share_content()
    {
        using var guest = Guest();
        _tree.File("root/original", "same inode");
        Assert.Equal(Errno.Success, guest.Link(Dir, "original", Dir, "copy", follow: false));
        Assert.Equal("same inode", File.ReadAllText(_tree["root/copy"]));
        Assert.Equal(Errno.Exist, guest.Link(Dir, "original", Dir, "copy", follow: false));

        guest.Symlink("original", Dir, "sym");
        Assert.Equal(Errno.Success, guest.Link(Dir, "sym", Dir, "via-follow", follow: true));
        Assert.Null(new FileInfo(_tree["root/via-follow"]).LinkTarget);
        Assert.Equal("same inode", File.ReadAllText(_tree["root/via-follow"]));
    }

    [Fact]
    public void Path_filestat_set_times_changes_the_file()
    {
        using var guest = Guest();
        _tree.File("root/t", "x");
        var (p, l) = guest.Str("t");
        const long when = 1_000_000_000L * 1_600_000_000;
        Assert.Equal(Errno.Success, guest.Wasi.PathFilestatSetTimes(guest.Memory, Dir, 0, p, l, when, when, 0b0101));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_600_000_000).UtcDateTime, File.GetLastWriteTimeUtc(_tree["root/t"]));
        Assert.Equal(Errno.Success, guest.Wasi.PathFilestatSetTimes(guest.Memory, Dir, 1, p, l, 0, 0, 0b1000));
        Assert.True(File.GetLastWriteTimeUtc(_tree["root/t"]) > DateTime.UtcNow.AddMinutes(-5));
    }

    [Fact]
    public void Path_functions_on_a_file_descriptor_report_ENOTDIR()
    {
        using var guest = Guest();
        _tree.File("root/f", "x");
        var (_, fd) = guest.Open(Dir, "f");
        Assert.Equal(Errno.NotDir, guest.Mkdir(fd, "x"));
        Assert.Equal(Errno.NotDir, guest.Stat(fd, "x").Error);
    }
}
