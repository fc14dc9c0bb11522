using WasmKube.Wasi.Abi;

namespace WasmKube.Wasi.Tests;

/// <summary>
/// Every way out of a preopen must be refused, by the kernel (openat2) and by the fallback walk alike. Each refused
/// target is first shown to exist on the host, so a resolver that let the path through would make the test fail.
/// </summary>
public sealed class SandboxEscapeTests : IDisposable
{
    private const int Jail = 3;
    private const string Secret = "top secret";
    private readonly TempTree _tree = new();

    public SandboxEscapeTests()
    {
        _tree.File("outside/secret.txt", Secret);
        _tree.Dir("outside/dir");
        _tree.File("jail/inside.txt", "inside");
        _tree.Dir("jail/sub");
        File.CreateSymbolicLink(_tree["jail/abs"], _tree["outside/secret.txt"]);
        File.CreateSymbolicLink(_tree["jail/rel"], "../outside/secret.txt");
        File.CreateSymbolicLink(_tree["jail/dirlink"], "../outside");
        File.CreateSymbolicLink(_tree["jail/subup"], "sub/../..");
        File.CreateSymbolicLink(_tree["jail/etc"], "/etc");
        File.CreateSymbolicLink(_tree["jail/loop1"], "loop2");
        File.CreateSymbolicLink(_tree["jail/loop2"], "loop1");
        File.CreateSymbolicLink(_tree["jail/ok"], "inside.txt");
        File.CreateSymbolicLink(_tree["jail/sub/back"], "../inside.txt");
        File.CreateSymbolicLink(_tree["jail/sublink"], "sub");
    }

    public static TheoryData<bool> Resolvers => new() { true, false };

    /// <summary>(guest path, host file it would reach relative to the tree, or an absolute host path).</summary>
    public static TheoryData<string, string, bool> Escapes()
    {
        var data = new TheoryData<string, string, bool>();
        string[][] cases =
        [
            ["../outside/secret.txt", "outside/secret.txt"],
            ["sub/../../outside/secret.txt", "outside/secret.txt"],
            ["./../jail/../outside/secret.txt", "outside/secret.txt"],
            ["abs", "outside/secret.txt"],
            ["rel", "outside/secret.txt"],
            ["dirlink/secret.txt", "outside/secret.txt"],
            ["subup/outside/secret.txt", "outside/secret.txt"],
            ["dirlink/../outside/secret.txt", "outside/secret.txt"],
            ["etc/passwd", "/etc/passwd"],
            ["/etc/passwd", "/etc/passwd"],
            ["sublink/../../outside/secret.txt", "outside/secret.txt"],
        ];
        foreach (var useOpenat2 in new[] { true, false })
        {
            foreach (var c in cases) data.Add(c[0], c[1], useOpenat2);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Escapes))]
    public void Opening_a_path_outside_the_preopen_is_refused(string guestPath, string hostTarget, bool useOpenat2)
    {
        var target = Path.IsPathRooted(hostTarget) ? hostTarget : _tree[hostTarget];
        Assert.True(File.Exists(target), $"test setup: {target} must exist on the host");
        using var guest = Guest(useOpenat2);

        var (error, fd) = guest.Open(Jail, guestPath, rights: Rights.FdRead);

        Assert.Equal(Errno.NotCapable, error);
        Assert.Equal(-1, fd);
        Assert.Equal(Errno.NotCapable, guest.Stat(Jail, guestPath).Error);
    }

    [Theory]
    [MemberData(nameof(Resolvers))]
    public void Paths_that_stay_inside_resolve(bool useOpenat2)
    {
        using var guest = Guest(useOpenat2);
        foreach (var path in new[] { "inside.txt", "ok", "sub/back", "sub/../inside.txt", "./sub/./back" })
        {
            var (error, fd) = guest.Open(Jail, path, rights: Rights.FdRead);
            Assert.Equal(Errno.Success, error);
            Assert.Equal("inside", guest.Read(fd).Text);
        }
    }

    [Theory]
    [MemberData(nameof(Resolvers))]
    public void Symlink_loops_end_with_ELOOP(bool useOpenat2)
    {
        using var guest = Guest(useOpenat2);
        Assert.Equal(Errno.Loop, guest.Open(Jail, "loop1", rights: Rights.FdRead).Error);
        Assert.Equal(Errno.Loop, guest.Open(Jail, "loop1/x", rights: Rights.FdRead).Error);
    }

    [Theory]
    [MemberData(nameof(Resolvers))]
    public void Not_following_a_final_symlink_opens_nothing_outside(bool useOpenat2)
    {
        using var guest = Guest(useOpenat2);
        Assert.Equal(Errno.Loop, guest.Open(Jail, "abs", rights: Rights.FdRead, follow: false).Error);
        var (error, type, _) = guest.Stat(Jail, "abs", follow: false);
        Assert.Equal(Errno.Success, error);
        Assert.Equal(FileType.SymbolicLink, type);
    }

    [Theory]
    [MemberData(nameof(Resolvers))]
    public void The_parent_of_the_preopen_cannot_be_inspected(bool useOpenat2)
    {
        Assert.True(Directory.Exists(_tree.Root));
        using var guest = Guest(useOpenat2);
        Assert.Equal(Errno.NotCapable, guest.Stat(Jail, "..", follow: false).Error);
        Assert.Equal(Errno.NotCapable, guest.Stat(Jail, "sub/../..", follow: false).Error);
        Assert.Equal(Errno.NotCapable, guest.Open(Jail, "..", oflags: 2, rights: Rights.FdReaddir).Error);
    }

    [Theory]
    [MemberData(nameof(Resolvers))]
    public void Changes_outside_the_preopen_are_refused(bool useOpenat2)
    {
        var secret = _tree["outside/secret.txt"];
        using var guest = Guest(useOpenat2);

        Assert.Equal(Errno.NotCapable, guest.Mkdir(Jail, "../made"));
        Assert.Equal(Errno.NotCapable, guest.Mkdir(Jail, "dirlink/made"));
        Assert.False(Directory.Exists(_tree["made"]));
        Assert.False(Directory.Exists(_tree["outside/made"]));

        Assert.Equal(Errno.NotCapable, guest.Unlink(Jail, "dirlink/secret.txt"));
        Assert.Equal(Errno.NotCapable, guest.Unlink(Jail, "../outside/secret.txt"));
        Assert.Equal(Errno.NotCapable, guest.Rmdir(Jail, "dirlink/dir"));
        Assert.True(Directory.Exists(_tree["outside/dir"]));

        Assert.Equal(Errno.NotCapable, guest.Rename(Jail, "inside.txt", Jail, "../outside/moved.txt"));
        Assert.Equal(Errno.NotCapable, guest.Rename(Jail, "dirlink/secret.txt", Jail, "stolen.txt"));
        Assert.False(File.Exists(_tree["outside/moved.txt"]));

        Assert.Equal(Errno.NotCapable, guest.Link(Jail, "abs", Jail, "hardlink", follow: true));
        Assert.Equal(Errno.NotCapable, guest.Link(Jail, "dirlink/secret.txt", Jail, "hardlink", follow: false));
        Assert.False(File.Exists(_tree["jail/hardlink"]));

        Assert.Equal(Errno.NotCapable, guest.Symlink("x", Jail, "../outside/newlink"));
        Assert.False(File.Exists(_tree["outside/newlink"]));

        Assert.Equal(Secret, File.ReadAllText(secret));
    }

    [Theory]
    [MemberData(nameof(Resolvers))]
    public void Creating_through_a_symlink_that_points_outside_is_refused(bool useOpenat2)
    {
        var target = _tree["outside/created.txt"];
        File.CreateSymbolicLink(_tree["jail/dangling"], target);
        using var guest = Guest(useOpenat2);

        var (error, _) = guest.Open(Jail, "dangling", oflags: 1 /* creat */, rights: Rights.FdWrite);

        Assert.Equal(Errno.NotCapable, error);
        Assert.False(File.Exists(target));
    }

    [Theory]
    [MemberData(nameof(Resolvers))]
    public void A_symlink_the_guest_creates_cannot_be_followed_out(bool useOpenat2)
    {
        using var guest = Guest(useOpenat2);
        Assert.Equal(Errno.Success, guest.Symlink("../outside/secret.txt", Jail, "mine"));
        Assert.Equal(Errno.NotCapable, guest.Open(Jail, "mine", rights: Rights.FdRead).Error);
        Assert.Equal("../outside/secret.txt", guest.Readlink(Jail, "mine").Target);
    }

    [Theory]
    [MemberData(nameof(Resolvers))]
    public void Times_cannot_be_set_through_an_escaping_symlink(bool useOpenat2)
    {
        var secret = _tree["outside/secret.txt"];
        var before = File.GetLastWriteTimeUtc(secret);
        using var guest = Guest(useOpenat2);
        var (p, l) = guest.Str("abs");

        var error = guest.Wasi.PathFilestatSetTimes(guest.Memory, Jail, 1, p, l, 0, 0, 0b1010 /* atim_now | mtim_now */);

        Assert.Equal(Errno.NotCapable, error);
        Assert.Equal(before, File.GetLastWriteTimeUtc(secret));
    }

    /// <summary>
    /// A directory on the lookup path is swapped for a symlink to the outside while the guest keeps opening through
    /// it; the swap races every step of resolution, and the outside file must never be reached.
    /// </summary>
    [Theory]
    [MemberData(nameof(Resolvers))]
    public void Swapping_a_directory_for_a_symlink_during_lookup_never_escapes(bool useOpenat2)
    {
        _tree.File("jail/real/secret.txt", "inside copy");
        File.CreateSymbolicLink(_tree["jail/evil"], "../outside");
        using var guest = Guest(useOpenat2);
        using var stop = new CancellationTokenSource();
        var swapper = new Thread(() =>
        {
            var swap = _tree["jail/swap"];
            while (!stop.IsCancellationRequested)
            {
                Rename(_tree["jail/real"], swap);
                Thread.SpinWait(200);
                Rename(swap, _tree["jail/real"]);
                Rename(_tree["jail/evil"], swap);
                Rename(swap, _tree["jail/evil"]);
            }
        });
        swapper.Start();

        var opened = 0;
        var escaped = 0;
        // Keep racing until the inside file was opened often enough to show the race ran both ways.
        var refused = 0;
        for (var attempt = 0; attempt < 200_000 && (attempt < 2000 || opened < 50 || refused < 50); attempt++)
        {
            guest.ResetScratch();
            var (error, fd) = guest.Open(Jail, "swap/secret.txt", rights: Rights.FdRead);
            if (error == Errno.NotCapable) refused++;
            if (error != Errno.Success) continue;
            opened++;
            if (guest.Read(fd).Text == Secret) escaped++;
            guest.Wasi.FdClose(guest.Memory, fd);
        }

        stop.Cancel();
        swapper.Join();
        Assert.True(File.Exists(_tree["outside/secret.txt"]));
        Assert.Equal(0, escaped);
        Assert.True(opened > 0, "the race never let the inside file be opened, so it proved nothing");
        Assert.True(refused > 0, "the lookup never met the symlink, so it proved nothing");
    }

    /// <summary>
    /// Linux follows a final symlink before a trailing slash even under O_NOFOLLOW / AT_SYMLINK_NOFOLLOW; "lnk/" must
    /// still be resolved beneath the preopen, for every call and flag, whether the link is absolute or relative.
    /// </summary>
    [Theory]
    [MemberData(nameof(Resolvers))]
    public void A_trailing_slash_does_not_follow_a_symlink_out(bool useOpenat2)
    {
        File.CreateSymbolicLink(_tree["jail/hostdir"], _tree["outside"]);
        var outside = _tree["outside"];
        var before = Directory.GetLastWriteTimeUtc(outside);
        using var guest = Guest(useOpenat2);
        foreach (var link in new[] { "hostdir/", "hostdir//", "dirlink/", "sub/../dirlink/" })
        {
            foreach (var follow in new[] { false, true })
            {
                var (error, fd) = guest.Open(Jail, link, oflags: 2 /* directory */, rights: Rights.FdReaddir | Rights.PathOpen | Rights.PathCreateFile, follow: follow);
                Assert.True(error == Errno.NotCapable, $"path_open(\"{link}\", follow {follow}) gave {error} fd {fd}");
                Assert.Equal(Errno.NotCapable, guest.Stat(Jail, link, follow).Error);
                var (p, l) = guest.Str(link);
                var times = guest.Wasi.PathFilestatSetTimes(guest.Memory, Jail, follow ? 1 : 0, p, l, 978_307_200_000_000_000, 978_307_200_000_000_000, 0b0101);
                Assert.Equal(Errno.NotCapable, times);
            }

            Assert.Equal(Errno.NotCapable, guest.Readlink(Jail, link).Error);
            Assert.Equal(Errno.NotCapable, guest.Link(Jail, link, Jail, "hard", follow: false));
        }

        Assert.Equal(before, Directory.GetLastWriteTimeUtc(outside));
        Assert.Equal(Secret, File.ReadAllText(_tree["outside/secret.txt"]));
    }

    [Theory]
    [MemberData(nameof(Resolvers))]
    public void A_trailing_slash_follows_a_symlink_that_stays_inside(bool useOpenat2)
    {
        _tree.File("jail/sub/in-sub.txt", "in sub");
        using var guest = Guest(useOpenat2);
        var (error, fd) = guest.Open(Jail, "sublink/", follow: false, rights: Rights.FdReaddir | Rights.PathOpen);
        Assert.Equal(Errno.Success, error);
        Assert.Equal("in sub", guest.Read(guest.Open(fd, "in-sub.txt", rights: Rights.FdRead).Fd).Text);
        Assert.Equal(FileType.Directory, guest.Stat(Jail, "sublink/", follow: false).Type);
        Assert.Equal(FileType.SymbolicLink, guest.Stat(Jail, "sublink", follow: false).Type);
        Assert.Equal(Errno.NotDir, guest.Open(Jail, "ok/", rights: Rights.FdRead).Error);
        Assert.Equal(Errno.NotDir, guest.Open(Jail, "inside.txt/", rights: Rights.FdRead).Error);
        Assert.Equal(Errno.IsDir, guest.Open(Jail, "new/", oflags: 1, rights: Rights.FdWrite).Error);
        Assert.Equal(Errno.NotDir, guest.Unlink(Jail, "ok/"));
        Assert.Equal(Errno.NotDir, guest.Rmdir(Jail, "sublink/"));
        Assert.Equal(Errno.Inval, guest.Readlink(Jail, "sublink/").Error);
        Assert.True(File.Exists(_tree["jail/ok"]));
        Assert.True(Directory.Exists(_tree["jail/sub"]));
    }

    [Theory]
    [MemberData(nameof(Resolvers))]
    public void Symlinks_with_absolute_targets_are_not_created(bool useOpenat2)
    {
        using var guest = Guest(useOpenat2);
        Assert.Equal(Errno.Perm, guest.Symlink("/", Jail, "root"));
        Assert.Equal(Errno.Perm, guest.Symlink(_tree["outside"], Jail, "host"));
        Assert.Equal(Errno.Perm, guest.Symlink("//etc", Jail, "sub/etc"));
        Assert.False(Path.Exists(_tree["jail/root"]));
        Assert.False(Path.Exists(_tree["jail/host"]));
        Assert.False(Path.Exists(_tree["jail/sub/etc"]));
        Assert.Equal(Errno.Success, guest.Symlink("sub", Jail, "relative"));
    }

    [Fact]
    public void Requiring_openat2_refuses_a_context_that_would_walk()
    {
        var refused = Assert.Throws<PlatformNotSupportedException>(() =>
            new WasiConfiguration { UseOpenat2 = false }.WithRequireOpenat2().WithPreopenedDirectory(_tree["jail"], "/jail").Build());
        Assert.Contains("openat2", refused.Message);
        using var context = new WasiConfiguration().WithRequireOpenat2().WithPreopenedDirectory(_tree["jail"], "/jail").Build();
        Assert.True(context.KernelEnforcedPaths);
    }

    [Fact]
    public void The_resolver_in_use_is_reported_before_the_guest_runs()
    {
        using var kernel = Guest(useOpenat2: true);
        using var walk = Guest(useOpenat2: false);
        Assert.True(kernel.Context.KernelEnforcedPaths, "openat2 is expected on Linux 5.6+ (CI kernels have it)");
        Assert.False(walk.Context.KernelEnforcedPaths);
    }

    public void Dispose() => _tree.Dispose();

    private GuestHarness Guest(bool useOpenat2) =>
        new(new WasiConfiguration { UseOpenat2 = useOpenat2 }.WithPreopenedDirectory(_tree["jail"], "/jail"));

    /// <summary>rename(2) itself, failures ignored: the swapper only has to keep the name changing.</summary>
    private static void Rename(string from, string to) => NativeRename(from, to);

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "rename")]
    private static extern int NativeRename(string from, string to);
}
