using WasmKube.Wasi.Abi;
using static WasmKube.Wasi.Abi.Errno;
using static WasmKube.Wasi.Tests.Adversarial.ProbeCase;

namespace WasmKube.Wasi.Tests.Adversarial;

/// <summary>The adversarial cases by name. Each is built for its own <see cref="SandboxTree"/> (some paths are absolute host paths).</summary>
public static class ProbeCases
{
    private static readonly Dictionary<string, Func<SandboxTree, ProbeCase>> Cases = new()
    {
        ["dotdot-in-every-spelling"] = _ => DotDot(),
        ["trailing-slashes"] = _ => TrailingSlashes(),
        ["empty-components"] = _ => EmptyComponents(),
        ["long-paths"] = _ => LongPaths(),
        ["nul-bytes"] = _ => NulBytes(),
        ["absolute-paths"] = tree => AbsolutePaths(tree),
        ["planted-absolute-link-to-a-directory"] = _ => EscapingDirectoryLink("abs-dir", "secret.txt", "outside-dir"),
        ["planted-relative-link-to-a-directory"] = _ => EscapingDirectoryLink("rel-dir", "secret.txt", "outside-dir"),
        ["planted-link-to-the-parent"] = _ => EscapingDirectoryLink("rel-parent", "outside-file.txt", "outside"),
        ["planted-link-to-the-root"] = tree => EscapingDirectoryLink("root-link", tree["outside/secret.txt"][1..], tree["outside"][1..]),
        ["planted-chain-of-links"] = _ => EscapingDirectoryLink("chain", "secret.txt", "outside-dir"),
        ["planted-link-in-a-subdirectory"] = _ => EscapingDirectoryLink("sub/up", "secret.txt", "outside-dir"),
        ["planted-link-through-dotdot-and-a-link"] = _ => EscapingDirectoryLink("deep", "secret.txt", "outside-dir"),
        ["planted-absolute-link-to-a-file"] = _ => EscapingFileLink("abs-file"),
        ["planted-relative-link-to-a-file"] = _ => EscapingFileLink("rel-file"),
        ["planted-dangling-links"] = _ => DanglingLinks(),
        ["planted-loops"] = _ => Loops(),
        ["links-that-stay-inside"] = _ => LinksThatStayInside(),
        ["guest-created-symlinks"] = tree => GuestCreatedSymlinks(tree),
        ["hard-links-and-renames-across-the-boundary"] = _ => HardLinksAndRenames(),
        ["read-only-preopen"] = _ => ReadOnlyPreopen(),
        ["rights-escalation"] = _ => RightsEscalation(),
        ["renumber-onto-preopens-and-stdio"] = _ => RenumberOntoPreopensAndStdio(),
        ["readdir-with-forged-cookies"] = _ => ReaddirWithForgedCookies(),
        ["directory-swapped-for-a-link-during-opens"] = _ => DirectorySwappedForALink(),
        ["zero-counts"] = _ => new ProbeCase().Expect(Poll(0), Inval).Expect(WriteVectors(0), Success).Expect(RawPath(1024, 0), NoEnt),
        ["huge-poll-count"] = _ => new ProbeCase { TrapsAtTheEnd = true }.Traps(Poll(1u << 28)),
        ["huge-iovec-count"] = _ => new ProbeCase { TrapsAtTheEnd = true }.Traps(WriteVectors(uint.MaxValue)),
        ["path-pointer-past-memory"] = _ => new ProbeCase { TrapsAtTheEnd = true }.Traps(RawPath(0xFFFFFFF0, 64)),
        ["path-length-past-memory"] = _ => new ProbeCase { TrapsAtTheEnd = true }.Traps(RawPath(1024, 0x7FFFFFFF)),
    };

    public static IEnumerable<string> Names => Cases.Keys;

    public static ProbeCase Create(string name, SandboxTree tree) => Cases[name](tree);

    private static ProbeCase DotDot()
    {
        var probe = new ProbeCase();
        string[] escapes =
        [
            "..", "../", "..//", "../.", "./..", "sub/../..", "sub/../../", "sub/deeper/../../..", "sub/./../../outside/secret.txt",
            "../outside/secret.txt", "..//outside//secret.txt", "../box/../outside/secret.txt", "../box/file.txt",
            "sub/../../outside-file.txt", "../ro/page.txt", "./.././box",
        ];
        foreach (var path in escapes)
        {
            probe.Expect(Open(path), NotCapable)
                .Expect(OpenDirectory(path, follow: false), NotCapable)
                .Expect(Stat(path, follow: false), NotCapable)
                .Expect(Stat(path, follow: true), NotCapable)
                .Expect(Times(path, follow: false), NotCapable)
                .Expect(Readlink(path), NotCapable);
        }

        return probe.Expect(Mkdir("../made"), NotCapable)
            .Expect(Mkdir("sub/../../made"), NotCapable)
            .Expect(Unlink("../outside-file.txt"), NotCapable)
            .Expect(Rmdir("../outside/outside-dir"), NotCapable)
            .Expect(Rename("file.txt", "../moved"), NotCapable)
            .Expect(Rename("../outside-file.txt", "stolen"), NotCapable)
            .Expect(Link("../outside-file.txt", "stolen", follow: false), NotCapable)
            .Expect(Link("file.txt", "sub/../../linked", follow: false), NotCapable)
            .Expect(Symlink("x", "../new-link"), NotCapable)
            .Expect(Open("../created", oflags: OCreat), NotCapable)
            // Spellings that only look like "..", and ".." that stays inside.
            .Expect(Open("..."), NoEnt)
            .Expect(Open("..a"), NoEnt)
            .Expect(Open("a.."), NoEnt)
            .Expect(OpenDirectory("sub/.."), Success)
            .Expect(Open("sub/../file.txt"), Success)
            .Expect(Stat("sub/deeper/../../sub/./inner.txt", follow: false), Success);
    }

    private static ProbeCase TrailingSlashes() => new ProbeCase()
        .Expect(Open("file.txt/"), NotDir)
        .Expect(Open("file.txt//", follow: false), NotDir)
        .Expect(Stat("file.txt/", follow: false), NotDir)
        .Expect(OpenDirectory("sub/"), Success)
        .Expect(Open("sub/inner.txt/"), NotDir)
        .Expect(Open("missing/"), NoEnt)
        .Expect(Open("missing/", oflags: OCreat), IsDir)
        .Expect(Mkdir("new-dir/"), Success)
        .Expect(Rmdir("new-dir//"), Success)
        .Expect(Unlink("file.txt/"), NotDir)
        .Expect(Unlink("sub/"), IsDir)
        .Expect(Rename("sub/", "sub2/"), Success)
        .Expect(Rename("sub2", "sub"), Success)
        .Expect(Rename("file.txt", "elsewhere/"), NotDir)
        .Expect(Symlink("x", "new-link/"), NoEnt)
        .Expect(Symlink("x", "sub/"), Exist)
        .Expect(Link("file.txt", "new-hard/", follow: false), NoEnt)
        .Expect(Link("sub/", "hard-dir", follow: false), Perm)
        .Expect(Readlink("in-file/"), NotDir)
        .Expect(Readlink("in-dir/"), Inval);

    private static ProbeCase EmptyComponents() => new ProbeCase()
        .Expect(Open("sub//inner.txt"), Success)
        .Expect(OpenDirectory(".//sub///deeper//"), Success)
        .Expect(OpenDirectory("./"), Success)
        .Expect(Open(""), NoEnt)
        .Expect(Stat("", follow: false), NoEnt)
        .Expect(Mkdir(""), NoEnt)
        .Expect(Unlink(""), NoEnt)
        .Expect(Symlink("x", ""), NoEnt)
        .Expect(Open("sub//..//..//outside-file.txt"), NotCapable)
        .Expect(Open("//outside-file.txt"), NotCapable)
        .Expect(Stat("sub//up//", follow: false), NotCapable);

    private static ProbeCase LongPaths()
    {
        var dots = string.Concat(Enumerable.Repeat("./", 2000));
        var tooLong = string.Concat(Enumerable.Repeat("./", 2100));
        var upAndDown = string.Concat(Enumerable.Repeat("deeper/../", 390));
        var manyUps = string.Concat(Enumerable.Repeat("../", 1300));
        return new ProbeCase()
            .Expect(Open(new string('a', 255)), NoEnt)
            .Expect(Open(new string('a', 256)), NameTooLong)
            .Expect(Open(new string('a', 256), oflags: OCreat), NameTooLong)
            .Expect(Open("sub/" + dots + "inner.txt"), Success)
            .Expect(Open("sub/" + tooLong + "inner.txt"), NameTooLong)
            .Expect(Stat("sub/" + tooLong + "inner.txt", follow: false), NameTooLong)
            .Expect(Mkdir("sub/" + tooLong + "made"), NameTooLong)
            .Expect(Open("sub/" + upAndDown + "inner.txt"), Success)
            .Expect(Open(manyUps + "outside-file.txt"), NotCapable)
            .Expect(Open("sub/" + upAndDown + "../../outside-file.txt"), NotCapable);
    }

    private static ProbeCase NulBytes() => new ProbeCase { Check = (tree, _) => Assert.True(File.Exists(tree["box/file.txt"])) }
        .Expect(Open("file.txt\0"), Inval)
        .Expect(Open("\0"), Inval)
        .Expect(Open("file.txt\0/../../outside-file.txt"), Inval)
        .Expect(Stat("file.txt\0", follow: false), Inval)
        .Expect(Times("file.txt\0", follow: true), Inval)
        .Expect(Mkdir("x\0y"), Inval)
        .Expect(Unlink("file.txt\0"), Inval)
        .Expect(Symlink("x\0../../outside", "nul-link"), Inval)
        .Expect(Symlink("x", "nul-link\0"), Inval)
        .Expect(Rename("file.txt", "renamed\0"), Inval)
        .Expect(Link("file.txt\0", "linked", follow: false), Inval)
        .Expect(Readlink("in-file\0"), Inval);

    private static ProbeCase AbsolutePaths(SandboxTree tree)
    {
        var probe = new ProbeCase();
        foreach (var path in new[] { "/", "/etc/passwd", tree["outside/secret.txt"], "//outside-file.txt", "/box/file.txt", "/." })
        {
            probe.Expect(Open(path), NotCapable)
                .Expect(OpenDirectory(path), NotCapable)
                .Expect(Stat(path, follow: false), NotCapable)
                .Expect(Stat(path, follow: true), NotCapable)
                .Expect(Times(path, follow: false), NotCapable)
                .Expect(Mkdir(path + "made"), NotCapable)
                .Expect(Unlink(path), NotCapable)
                .Expect(Readlink(path), NotCapable)
                .Expect(Symlink("x", path), NotCapable)
                .Expect(Rename("file.txt", path), NotCapable)
                .Expect(Link("file.txt", path, follow: false), NotCapable);
        }

        return probe;
    }

    /// <summary>Every path call through a planted link that leads to a directory outside, with and without follow.</summary>
    private static ProbeCase EscapingDirectoryLink(string link, string child, string childDirectory)
    {
        var probe = new ProbeCase()
            .Expect(Open(link), NotCapable)
            .Expect(Open(link, follow: false), Loop)
            .Expect(OpenDirectory(link), NotCapable)
            .Expect(OpenDirectory(link, follow: false), NotDir)
            .Expect(Stat(link, follow: true), NotCapable)
            .Expect(Stat(link, follow: false), Success)
            .Expect(Times(link, follow: true), NotCapable)
            .Expect(Times(link, follow: false), Success)
            .Expect(Readlink(link), Success)
            .Expect(Link(link, "hard-followed", follow: true), NotCapable)
            .Expect(Mkdir(link + "/"), Exist)
            .Expect(Unlink(link + "/"), NotDir)
            .Expect(Rmdir(link + "/"), NotDir)
            .Expect(Rename(link + "/", "renamed"), NotDir);
        foreach (var path in new[] { link + "/", link + "//", link + "/.", link + "/./", link + "/" + childDirectory + "/.." })
        {
            probe.Expect(Open(path), NotCapable)
                .Expect(Open(path, follow: false), NotCapable)
                .Expect(OpenDirectory(path), NotCapable)
                .Expect(OpenDirectory(path, follow: false), NotCapable)
                .Expect(Stat(path, follow: true), NotCapable)
                .Expect(Stat(path, follow: false), NotCapable)
                .Expect(Times(path, follow: true), NotCapable)
                .Expect(Times(path, follow: false), NotCapable)
                .Expect(Readlink(path), NotCapable)
                .Expect(Link(path, "hard", follow: false), NotCapable)
                .Expect(Link(path, "hard", follow: true), NotCapable);
        }

        var file = link + "/" + child;
        var directory = link + "/" + childDirectory;
        return probe.Expect(Open(file), NotCapable)
            .Expect(Open(file, follow: false), NotCapable)
            .Expect(Open(file, oflags: OTrunc), NotCapable)
            .Expect(Open(file, fdflags: FdAppend), NotCapable)
            .Expect(Stat(file, follow: true), NotCapable)
            .Expect(Stat(file, follow: false), NotCapable)
            .Expect(Times(file, follow: true), NotCapable)
            .Expect(Times(file, follow: false), NotCapable)
            .Expect(Readlink(file), NotCapable)
            .Expect(Unlink(file), NotCapable)
            .Expect(Link(file, "hard", follow: false), NotCapable)
            .Expect(Link(file, "hard", follow: true), NotCapable)
            .Expect(Link("file.txt", link + "/linked", follow: false), NotCapable)
            .Expect(Rename(file, "stolen"), NotCapable)
            .Expect(Rename("file.txt", link + "/moved"), NotCapable)
            .Expect(Open(link + "/created", oflags: OCreat), NotCapable)
            .Expect(Symlink("x", link + "/new-link"), NotCapable)
            .Expect(Mkdir(link + "/made"), NotCapable)
            .Expect(Mkdir(directory + "/"), NotCapable)
            .Expect(OpenDirectory(directory), NotCapable)
            .Expect(OpenDirectory(directory + "/", follow: false), NotCapable)
            .Expect(Rmdir(directory), NotCapable)
            .Expect(Rename(directory, "stolen-dir"), NotCapable);
    }

    private static ProbeCase EscapingFileLink(string link) => new ProbeCase()
        .Expect(Open(link), NotCapable)
        .Expect(Open(link, follow: false), Loop)
        .Expect(Open(link, oflags: OTrunc), NotCapable)
        .Expect(Open(link, oflags: OCreat), NotCapable)
        .Expect(Open(link, fdflags: FdAppend), NotCapable)
        .Expect(Open(link + "/"), NotCapable)
        .Expect(Open(link + "/", follow: false), NotCapable)
        .Expect(Open(link + "/."), NotCapable)
        .Expect(Stat(link, follow: true), NotCapable)
        .Expect(Stat(link, follow: false), Success)
        .Expect(Stat(link + "/", follow: false), NotCapable)
        .Expect(Times(link, follow: true), NotCapable)
        .Expect(Times(link + "/", follow: false), NotCapable)
        .Expect(Readlink(link), Success)
        .Expect(Readlink(link + "/"), NotCapable)
        .Expect(Link(link, "hard", follow: true), NotCapable)
        .Expect(Link(link + "/", "hard", follow: false), NotCapable)
        .Expect(Unlink(link + "/"), NotDir);

    private static ProbeCase DanglingLinks() => new ProbeCase()
        .Expect(Open("dangling-out", oflags: OCreat), NotCapable)
        .Expect(Open("abs-dangling", oflags: OCreat), NotCapable)
        .Expect(Open("dangling-out", oflags: OCreat, follow: false), Loop)
        .Expect(Open("dangling-out", oflags: OCreat | OExcl), Exist)
        .Expect(Open("dangling-out/", oflags: OCreat), IsDir)
        .Expect(Open("dangling-out"), NotCapable)
        .Expect(Stat("dangling-out", follow: true), NotCapable)
        .Expect(Stat("dangling-out", follow: false), Success)
        .Expect(Times("abs-dangling", follow: true), NotCapable)
        .Expect(Mkdir("dangling-out"), Exist)
        .Expect(Mkdir("dangling-out/"), Exist)
        .Expect(Symlink("x", "dangling-out"), Exist)
        .Expect(Link("file.txt", "dangling-out", follow: false), Exist)
        .Expect(Link("dangling-out", "hard", follow: true), NotCapable);

    private static ProbeCase Loops() => new ProbeCase()
        .Expect(Open("loop-a"), Loop)
        .Expect(Open("loop-a/x"), Loop)
        .Expect(Open("self"), Loop)
        .Expect(Open("self", follow: false), Loop)
        .Expect(Open("loop-a/", follow: false), Loop)
        .Expect(OpenDirectory("self", follow: false), NotDir)
        .Expect(Stat("self", follow: true), Loop)
        .Expect(Stat("self/", follow: false), Loop)
        .Expect(Stat("self", follow: false), Success)
        .Expect(Open("loop-b", oflags: OCreat), Loop)
        .Expect(Mkdir("loop-a/x"), Loop);

    private static ProbeCase LinksThatStayInside() => new ProbeCase
    {
        Check = (tree, _) =>
        {
            Assert.True(File.Exists(tree["box/sub/made-through-link"]), "creating through a dangling link inside makes its target");
            Assert.True(File.Exists(tree["box/hard-in"]));
        },
    }
        .Expect(Open("in-file"), Success)
        .Expect(Open("in-file", follow: false), Loop)
        .Expect(OpenDirectory("in-dir"), Success)
        .Expect(OpenDirectory("in-dir/", follow: false), Success)
        .Expect(OpenDirectory("in-dir", follow: false), NotDir)
        .Expect(Stat("in-dir/", follow: false), Success)
        .Expect(Stat("in-dir/.", follow: false), Success)
        .Expect(Open("in-dir/inner.txt"), Success)
        .Expect(Open("in-dir/../file.txt"), Success)
        .Expect(Open("sub/../in-file"), Success)
        .Expect(Open("in-dangling", oflags: OCreat), Success)
        .Expect(Open("in-file/"), NotDir)
        .Expect(Readlink("in-dir/"), Inval)
        .Expect(Unlink("in-file/"), NotDir)
        .Expect(Rmdir("in-dir/"), NotDir)
        .Expect(Rename("in-dir/", "moved"), NotDir)
        .Expect(Link("in-file", "hard-in", follow: true), Success)
        .Expect(Times("in-dir/", follow: false), Success);

    private static ProbeCase GuestCreatedSymlinks(SandboxTree tree) => new ProbeCase
    {
        Check = (t, _) =>
        {
            foreach (var refused in new[] { "g-root", "g-abs", "g-etc" }) Assert.False(Path.Exists(t["box/" + refused]), $"{refused} was created");
        },
    }
        .Expect(Symlink("/", "g-root"), Perm)
        .Expect(Symlink(tree["outside"], "g-abs"), Perm)
        .Expect(Symlink("/etc/passwd", "sub/g-etc"), Perm)
        .Expect(Symlink("../outside", "g-rel"), Success)
        .Expect(Symlink("sub/../../outside/secret.txt", "g-file"), Success)
        .Expect(Symlink("../outside/created-by-guest", "g-dangling"), Success)
        .Expect(Symlink("..", "g-parent"), Success)
        .Expect(Symlink("g-rel/", "g-chain"), Success)
        .Expect(OpenDirectory("g-rel/", follow: false), NotCapable)
        .Expect(OpenDirectory("g-rel"), NotCapable)
        .Expect(Open("g-file"), NotCapable)
        .Expect(Open("g-file", oflags: OTrunc), NotCapable)
        .Expect(Stat("g-rel/", follow: false), NotCapable)
        .Expect(Times("g-rel/", follow: false), NotCapable)
        .Expect(Times("g-file", follow: true), NotCapable)
        .Expect(Open("g-dangling", oflags: OCreat), NotCapable)
        .Expect(Open("g-parent/outside-file.txt"), NotCapable)
        .Expect(OpenDirectory("g-chain"), NotCapable)
        .Expect(Stat("g-chain", follow: true), NotCapable)
        .Expect(Link("g-file", "hard", follow: true), NotCapable)
        .Expect(Rename("g-rel/secret.txt", "stolen"), NotCapable)
        .Expect(Unlink("g-rel/secret.txt"), NotCapable)
        .Expect(Mkdir("g-rel/made"), NotCapable)
        .Expect(Readlink("g-rel"), Success);

    private static ProbeCase HardLinksAndRenames() => new ProbeCase()
        .Expect(Link("../outside-file.txt", "h1", follow: false), NotCapable)
        .Expect(Link("rel-file", "h2", follow: true), NotCapable)
        .Expect(Link("abs-dir/secret.txt", "h3", follow: false), NotCapable)
        .Expect(Link("file.txt", "../h4", follow: false), NotCapable)
        .Expect(Link("file.txt", "rel-dir/h5", follow: false), NotCapable)
        .Expect(Link("file.txt", "h6", follow: false, newDir: ReadOnly), NotCapable)
        .Expect(Link("page.txt", "stolen-page", follow: false, dir: ReadOnly, newDir: Box), NotCapable)
        .Expect(Rename("file.txt", "../moved"), NotCapable)
        .Expect(Rename("sub", "rel-dir/moved-sub"), NotCapable)
        .Expect(Rename("abs-dir/outside-dir", "moved"), NotCapable)
        .Expect(Rename("file.txt", "x", newDir: ReadOnly), NotCapable)
        .Expect(Rename("page.txt", "y", dir: ReadOnly, newDir: Box), NotCapable)
        .Expect(Rename("rel-dir", "renamed-link"), Success)
        .Expect(Open("renamed-link/secret.txt"), NotCapable)
        .Expect(Link("rel-file", "hard-to-link", follow: false), Success)
        .Expect(Open("hard-to-link"), NotCapable)
        .Expect(Rename("sub", "sub/deeper/inside-itself"), Inval);

    private static ProbeCase ReadOnlyPreopen() => new ProbeCase()
        .Expect(Open("page.txt", oflags: OCreat, dir: ReadOnly), NotCapable)
        .Expect(Open("new.txt", oflags: OCreat, dir: ReadOnly), NotCapable)
        .Expect(Open("page.txt", oflags: OTrunc, dir: ReadOnly), NotCapable)
        .Expect(Open("page.txt", fdflags: FdAppend, dir: ReadOnly), NotCapable)
        .Expect(Open("page.txt", dir: ReadOnly), Success)
        .Expect(Keep("page.txt", dir: ReadOnly), Success)
        .Expect(Write("$"), NotCapable)
        .Expect(PositionedWrite("$"), NotCapable)
        .Expect(Allocate("$"), NotCapable)
        .Expect(Truncate("$"), NotCapable)
        .Expect(FdTimes("$"), NotCapable)
        .Expect(SetRights("$", AllRights, AllRights), NotCapable)
        .Expect(SetFlags("$", FdAppend), Success)
        .Expect(Write("$"), NotCapable)
        .Expect(Times("page.txt", follow: true, dir: ReadOnly), NotCapable)
        .Expect(Open("dir", oflags: ODirectory, rights: DirectoryRights, dir: ReadOnly), Success)
        .Expect(Mkdir("made", dir: ReadOnly), NotCapable)
        .Expect(Rmdir("dir", dir: ReadOnly), NotCapable)
        .Expect(Unlink("page.txt", dir: ReadOnly), NotCapable)
        .Expect(Symlink("page.txt", "link", dir: ReadOnly), NotCapable)
        .Expect(Times("page.txt", follow: false, dir: ReadOnly), NotCapable)
        .Expect(Rename("page.txt", "renamed", dir: ReadOnly), NotCapable)
        .Expect(Link("page.txt", "hard", follow: false, dir: ReadOnly), NotCapable)
        .Expect(Keep("dir", oflags: ODirectory, rights: AllRights & ~(long)Rights.FdWrite, dir: ReadOnly), Success)
        .Expect(Open("nested.txt", oflags: OCreat, dir: "$"), NotCapable)
        .Expect(Open("nested.txt", dir: "$"), Success)
        .Expect(Mkdir("made", dir: "$"), NotCapable)
        .Expect(Unlink("nested.txt", dir: "$"), NotCapable)
        .Expect(SetRights("$", AllRights, AllRights), NotCapable);

    private static ProbeCase RightsEscalation() => new ProbeCase()
        .Expect(Keep(".", oflags: ODirectory, rights: (long)(Rights.PathOpen | Rights.FdReaddir)), Success)
        .Expect(Open("new.txt", oflags: OCreat, dir: "$"), NotCapable)
        .Expect(Mkdir("made", dir: "$"), NotCapable)
        .Expect(SetRights("$", AllRights, AllRights), NotCapable)
        .Expect(SetRights("$", (long)Rights.PathOpen, 0), Success)
        .Expect(SetRights("$", (long)(Rights.PathOpen | Rights.FdReaddir), 0), NotCapable)
        // With nothing left to inherit, what is opened through it can do nothing either.
        .Expect(Keep("sub", oflags: ODirectory, rights: (long)Rights.PathOpen, dir: "$"), Success)
        .Expect(Keep("inner.txt", rights: (long)Rights.FdRead, dir: "$"), NotCapable)
        .Expect(Write("$"), NotCapable)
        .Expect(Truncate("$"), NotCapable)
        .Expect(SetRights(Box, (long)(Rights.PathOpen | Rights.FdReaddir), (long)Rights.FdRead), Success)
        .Expect(Mkdir("made", dir: Box), NotCapable)
        .Expect(Open("file.txt", oflags: OCreat, dir: Box), NotCapable)
        .Expect(Keep("file.txt", rights: FileRights, dir: Box), Success)
        .Expect(Write("$"), NotCapable)
        .Expect(SetRights(Box, AllRights, AllRights), NotCapable);

    private static ProbeCase RenumberOntoPreopensAndStdio() => new ProbeCase()
        .Expect(Renumber(ReadOnly, Box), Success)
        .Expect(Mkdir("made", dir: Box), NotCapable)
        .Expect(Open("page.txt", oflags: OCreat, dir: Box), NotCapable)
        .Expect(Unlink("page.txt", dir: Box), NotCapable)
        .Expect(Open("page.txt", dir: Box), Success)
        .Expect(Open("page.txt", dir: ReadOnly), BadF)
        .Expect(Renumber(Box, 0), Success)
        .Expect(Mkdir("made", dir: 0), NotCapable)
        .Expect(Renumber(0, 2), Success)
        .Expect(Symlink("x", "link", dir: 2), NotCapable)
        .Expect(Keep("page.txt", dir: 2), Success)
        .Expect(Renumber("$", 2), Success)
        .Expect(Write(2), NotCapable)
        .Expect(Renumber(99, 2), BadF)
        .Expect(Renumber(2, 99), BadF)
        .Expect(Renumber(Box, Box), BadF);

    private static ProbeCase ReaddirWithForgedCookies() => new ProbeCase
    {
        Check = (_, transcript) =>
        {
            foreach (var command in new[] { 2, 3, 4 }) Assert.Contains((command, "used 0"), transcript.Learned);
        },
    }
        .Expect(Readdir(Box, 0), Success)
        .Expect(Readdir(Box, 1UL << 62), Success)
        .Expect(Readdir(Box, ulong.MaxValue), Success)
        .Expect(Readdir(Box, 12345), Success)
        .Expect(Readdir(Box, 2), Success)
        .Expect(Readdir(ReadOnly, 0xFFFFFFFF), Success)
        .Expect(Keep("file.txt"), Success)
        .Expect(Readdir("$", 0), NotCapable)
        .Expect(Readdir(99, 0), BadF)
        .Expect(OpenDirectory("."), Success)
        .Expect(OpenDirectory("sub"), Success);

    /// <summary>
    /// The host keeps swapping box/swap between a real directory and a symlink to outside while the guest opens
    /// swap/secret.txt; it must read the inside copy or be refused, never the outside file.
    /// </summary>
    private static ProbeCase DirectorySwappedForALink() => new ProbeCase
    {
        Setup = tree =>
        {
            tree.File("box/real/secret.txt", "inside copy");
            tree.Link("box/evil", "../outside");
        },
        DuringRun = (tree, stop) =>
        {
            while (!stop.IsCancellationRequested)
            {
                Native.Rename(tree["box/real"], tree["box/swap"]);
                Thread.SpinWait(2000);
                Native.Rename(tree["box/swap"], tree["box/real"]);
                Native.Rename(tree["box/evil"], tree["box/swap"]);
                Thread.SpinWait(2000);
                Native.Rename(tree["box/swap"], tree["box/evil"]);
            }
        },
        Check = (_, transcript) =>
        {
            var summary = transcript.Learned.Single(l => l.Text.StartsWith("race ")).Text.Split(' ');
            Assert.True(int.Parse(summary[2]) > 0, $"the inside file was never opened, so the race proved nothing: {string.Join(' ', summary)}");
            Assert.True(int.Parse(summary[4]) > 0, $"the symlink was never met, so the race proved nothing: {string.Join(' ', summary)}");
            Assert.Contains(transcript.Learned, l => l.Text == "data inside copy");
        },
    }.Expect(Race(20000, "swap/secret.txt"), Success);

    private static class Native
    {
        /// <summary>rename(2) itself, failures ignored: the swapper only has to keep the name changing.</summary>
        [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "rename")]
        private static extern int NativeRename(string from, string to);

        public static void Rename(string from, string to) => NativeRename(from, to);
    }
}
