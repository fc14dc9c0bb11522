using System.Runtime.InteropServices;
using WasmKube.Shim.Native;
using WasmKube.Shim.Protocol.Task;

namespace WasmKube.Shim.Rootfs;

/// <summary>Mounts CreateTaskRequest.rootfs on the bundle's rootfs (in order, host mount namespace) and unmounts it.</summary>
public static class RootfsMounter
{
    private static readonly Dictionary<string, (ulong Set, bool Clear)> Flags = new()
    {
        ["ro"] = (Libc.MS_RDONLY, false),
        ["rw"] = (Libc.MS_RDONLY, true),
        ["nosuid"] = (Libc.MS_NOSUID, false),
        ["suid"] = (Libc.MS_NOSUID, true),
        ["nodev"] = (Libc.MS_NODEV, false),
        ["dev"] = (Libc.MS_NODEV, true),
        ["noexec"] = (Libc.MS_NOEXEC, false),
        ["exec"] = (Libc.MS_NOEXEC, true),
        ["noatime"] = (Libc.MS_NOATIME, false),
        ["bind"] = (Libc.MS_BIND, false),
        ["rbind"] = (Libc.MS_BIND | Libc.MS_REC, false),
    };

    public static void Mount(IEnumerable<Mount> mounts, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var mount in mounts)
        {
            ulong flags = 0;
            var data = new List<string>();
            foreach (var option in mount.Options)
            {
                if (Flags.TryGetValue(option, out var flag))
                {
                    flags = flag.Clear ? flags & ~flag.Set : flags | flag.Set;
                }
                else
                {
                    data.Add(option);
                }
            }

            var type = mount.Type == "bind" ? null : mount.Type;
            var mountFlags = flags & Libc.MS_BIND;
            Check(Libc.mount(mount.Source, target, type, mountFlags != 0 ? flags & ~Libc.MS_RDONLY : flags, data.Count == 0 ? null : string.Join(',', data)),
                $"mount {mount.Type} {mount.Source} on {target}");
            if (mountFlags != 0 && (flags & Libc.MS_RDONLY) != 0)
            {
                // A bind mount ignores MS_RDONLY until remounted.
                Check(Libc.mount(null, target, null, Libc.MS_BIND | Libc.MS_REMOUNT | Libc.MS_RDONLY, null), $"remount {target} read-only");
            }
        }
    }

    /// <summary>Unmounts every layer stacked on <paramref name="target"/>; quiet when nothing is mounted.</summary>
    public static void Unmount(string target)
    {
        for (var layer = 0; layer < 32; layer++)
        {
            if (Libc.umount2(target, Libc.MNT_DETACH) != 0)
            {
                return;
            }
        }
    }

    private static void Check(int result, string what)
    {
        if (result != 0)
        {
            throw new IOException($"{what}: {Libc.ErrorText(Marshal.GetLastPInvokeError())}");
        }
    }
}
