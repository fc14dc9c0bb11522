using System.Security.Cryptography;
using WasmKube.Wasi.Native;

namespace WasmKube.Wasi.Tests.Adversarial;

/// <summary>
/// The host side of an adversarial case: a writable preopen (box, fd 3) and a read-only one (ro, fd 4) with
/// symlinks planted in box that lead out, beside directories and files the guest must never reach (outside,
/// outside-file.txt). Everything but box is snapshotted before the guest runs and compared after.
/// </summary>
public sealed unsafe class SandboxTree : IDisposable
{
    /// <summary>In every file outside the preopens: seeing it in what the guest learned is a leak.</summary>
    public const string Secret = "OUTSIDE-SECRET";

    public const int Box = 3;
    public const int ReadOnly = 4;

    private static readonly DateTime Past = new(2010, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public SandboxTree()
    {
        Root = Directory.CreateTempSubdirectory("wasmkube-wasi-adversarial-").FullName;
        try
        {
            File("box/file.txt", "inside");
            File("box/sub/inner.txt", "inner");
            Directory.CreateDirectory(this["box/sub/deeper"]);
            File("ro/page.txt", "read-only page");
            File("ro/dir/nested.txt", "nested");
            File("outside/secret.txt", Secret);
            File("outside/outside-dir/outside-nested.txt", Secret + " nested");
            File("outside-file.txt", Secret + " beside the preopen");

            Link("box/abs-dir", this["outside"]);
            Link("box/abs-file", this["outside/secret.txt"]);
            Link("box/rel-dir", "../outside");
            Link("box/rel-file", "../outside/secret.txt");
            Link("box/rel-parent", "..");
            Link("box/root-link", "/");
            Link("box/chain", "chain2");
            Link("box/chain2", "rel-dir");
            Link("box/sub/up", "../../outside");
            Link("box/deep", "sub/deeper/../../sub/up");
            Link("box/dangling-out", "../outside/created-through-link");
            Link("box/abs-dangling", this["outside/created-through-abs-link"]);
            Link("box/loop-a", "loop-b");
            Link("box/loop-b", "loop-a");
            Link("box/self", "self");
            Link("box/in-file", "file.txt");
            Link("box/in-dir", "sub");
            Link("box/in-dangling", "sub/made-through-link");

            foreach (var entry in EntriesOutsideTheBox())
            {
                System.IO.File.SetLastWriteTimeUtc(entry, Past);
                System.IO.File.SetLastAccessTimeUtc(entry, Past);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Root { get; }

    public string this[string relative] => Path.Combine(Root, relative);

    public WasiConfiguration Configuration(bool useOpenat2) =>
        new WasiConfiguration { UseOpenat2 = useOpenat2 }
            .WithPreopenedDirectory(this["box"], "/box")
            .WithPreopenedDirectory(this["ro"], "/ro", readOnly: true);

    /// <summary>
    /// Every entry but box and what is in it (the guest's to change): type, inode, links, size, mode, content or
    /// symlink target, modification and change times. A change time moves with any change to an inode (times set,
    /// links added, renames), so reads by the guest (atime) are the only thing left out.
    /// </summary>
    public IReadOnlyDictionary<string, string> Snapshot()
    {
        var entries = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["."] = Describe(Root) };
        foreach (var entry in EntriesOutsideTheBox()) entries[Path.GetRelativePath(Root, entry)] = Describe(entry);
        return entries;
    }

    /// <summary>Inodes of the preopens' parent and of everything outside them: none may reach the guest.</summary>
    public IReadOnlySet<ulong> OutsideInodes()
    {
        var inodes = new HashSet<ulong> { Stat(Root).Ino, Stat(Path.GetDirectoryName(Root)!).Ino };
        foreach (var entry in EntriesOutsideTheBox().Where(e => !e.StartsWith(this["ro"]))) inodes.Add(Stat(entry).Ino);
        return inodes;
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);

    public void File(string relative, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(this[relative])!);
        System.IO.File.WriteAllText(this[relative], content);
    }

    public void Link(string relative, string target) => System.IO.File.CreateSymbolicLink(this[relative], target);

    /// <summary>Every entry under the root but box and what is in it, symlinks listed and never followed.</summary>
    private IEnumerable<string> EntriesOutsideTheBox()
    {
        var pending = new Stack<string>([Root]);
        while (pending.TryPop(out var directory))
        {
            foreach (var entry in Directory.EnumerateFileSystemEntries(directory, "*", new EnumerationOptions { AttributesToSkip = 0 }))
            {
                if (entry == this["box"]) continue;
                yield return entry;
                if ((Stat(entry).Mode & 0xF000) == 0x4000) pending.Push(entry);
            }
        }
    }

    private static string Describe(string path)
    {
        var stat = Stat(path);
        var type = stat.Mode & 0xF000;
        var content = type switch
        {
            0x8000 => Convert.ToHexString(SHA256.HashData(System.IO.File.ReadAllBytes(path))),
            0xA000 => "-> " + new FileInfo(path).LinkTarget,
            _ => "",
        };
        return $"mode {Convert.ToString(stat.Mode, 8)} inode {stat.Ino} links {stat.NLink} size {stat.Size} mtime {stat.MtimeSec}.{stat.MtimeNsec} ctime {stat.CtimeSec}.{stat.CtimeNsec} {content}";
    }

    private static HostCalls.Statx Stat(string path)
    {
        var name = HostCalls.CString(path);
        HostCalls.Statx stat;
        fixed (byte* n = name)
        {
            if (HostCalls.StatxCall(HostCalls.AtFdCwd, n, HostCalls.AtSymlinkNofollow, HostCalls.StatxBasicStats, &stat) < 0)
                throw new IOException($"statx {path} failed: {HostCalls.LastError}");
        }

        return stat;
    }
}
