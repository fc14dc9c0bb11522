using System.Globalization;
using WasmKube.Wasi.Abi;

namespace WasmKube.Wasi.Tests.Adversarial;

/// <summary>
/// One adversarial case: commands for the probe guest (Guests/probe.c) with the errno each must return, the same in
/// both resolution modes and on every engine, plus what the host does meanwhile and checks afterwards.
/// </summary>
public sealed class ProbeCase
{
    public const int Box = SandboxTree.Box;
    public const int ReadOnly = SandboxTree.ReadOnly;
    public const int OCreat = 1, ODirectory = 2, OExcl = 4, OTrunc = 8;
    public const int FdAppend = 1;
    public const long FileRights = (long)Rights.FileAll;
    public const long DirectoryRights = (long)Rights.DirectoryAll;
    public const long AllRights = 0x3FFFFFFF;

    public List<(string Command, Errno[] Expected)> Steps { get; } = [];

    /// <summary>Host changes made before the snapshot is taken.</summary>
    public Action<SandboxTree>? Setup { get; init; }

    /// <summary>Runs on the host while the guest runs (the race); its token is cancelled when the guest ends.</summary>
    public Action<SandboxTree, CancellationToken>? DuringRun { get; init; }

    /// <summary>The last command must trap cleanly (out of bounds memory access) instead of returning.</summary>
    public bool TrapsAtTheEnd { get; init; }

    /// <summary>More checks on the host after the guest ended.</summary>
    public Action<SandboxTree, ProbeTranscript>? Check { get; init; }

    public ProbeCase Expect(string command, params Errno[] expected)
    {
        Steps.Add((command, expected));
        return this;
    }

    public ProbeCase Traps(string command)
    {
        Steps.Add((command, []));
        return this;
    }

    public static string Open(string path, bool follow = true, int oflags = 0, long rights = FileRights, object? dir = null, int fdflags = 0) =>
        $"open {dir ?? Box} {Flag(follow)} {oflags} {rights} {fdflags} {Escape(path)}";

    public static string OpenDirectory(string path, bool follow = true, object? dir = null) => Open(path, follow, ODirectory, DirectoryRights, dir);

    /// <summary>Opens without exploiting and keeps the fd as "$" for the commands that follow.</summary>
    public static string Keep(string path, int oflags = 0, long rights = FileRights, object? dir = null) =>
        $"keep {dir ?? Box} 1 {oflags} {rights} {Escape(path)}";

    public static string Stat(string path, bool follow, object? dir = null) => $"stat {dir ?? Box} {Flag(follow)} {Escape(path)}";

    public static string Times(string path, bool follow, object? dir = null) => $"times {dir ?? Box} {Flag(follow)} {Escape(path)}";

    public static string Readlink(string path, object? dir = null) => $"readlink {dir ?? Box} {Escape(path)}";

    public static string Mkdir(string path, object? dir = null) => $"mkdir {dir ?? Box} {Escape(path)}";

    public static string Rmdir(string path, object? dir = null) => $"rmdir {dir ?? Box} {Escape(path)}";

    public static string Unlink(string path, object? dir = null) => $"unlink {dir ?? Box} {Escape(path)}";

    public static string Symlink(string target, string path, object? dir = null) => $"symlink {Escape(target)} {dir ?? Box} {Escape(path)}";

    public static string Link(string from, string to, bool follow, object? dir = null, object? newDir = null) =>
        $"link {dir ?? Box} {Flag(follow)} {Escape(from)} {newDir ?? dir ?? Box} {Escape(to)}";

    public static string Rename(string from, string to, object? dir = null, object? newDir = null) =>
        $"rename {dir ?? Box} {Escape(from)} {newDir ?? dir ?? Box} {Escape(to)}";

    public static string Write(object fd) => $"write {fd}";

    public static string Truncate(object fd) => $"truncate {fd}";

    public static string PositionedWrite(object fd) => $"pwrite {fd}";

    public static string Allocate(object fd) => $"allocate {fd}";

    public static string SetFlags(object fd, int flags) => $"setflags {fd} {flags}";

    public static string FdTimes(object fd) => $"fdtimes {fd}";

    public static string SetRights(object fd, long rights, long inheriting) => $"setrights {fd} {rights} {inheriting}";

    public static string Renumber(object from, object to) => $"renumber {from} {to}";

    public static string Readdir(object fd, ulong cookie) => $"readdir {fd} {cookie.ToString(CultureInfo.InvariantCulture)}";

    public static string Race(int most, string path) => $"race {Box} {most} {Escape(path)}";

    public static string Poll(uint count) => $"poll {count}";

    public static string WriteVectors(uint count) => $"writev {count}";

    public static string RawPath(uint pointer, uint length) => $"rawpath {pointer} {length}";

    private static int Flag(bool follow) => follow ? 1 : 0;

    /// <summary>Paths travel %XX-escaped inside one argument, so spaces, percent signs and NUL bytes survive; '' is empty.</summary>
    private static string Escape(string path) =>
        path.Length == 0 ? "''" : path.Replace("%", "%25").Replace(" ", "%20").Replace("'", "%27").Replace("\0", "%00");
}
