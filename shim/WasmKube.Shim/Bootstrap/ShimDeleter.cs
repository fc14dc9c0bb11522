using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using WasmKube.Cgroups;
using WasmKube.Contracts;
using WasmKube.Shim.Cgroups;
using WasmKube.Shim.Native;
using WasmKube.Shim.Oci;
using WasmKube.Shim.Protocol.Task;
using WasmKube.Shim.Rootfs;
using WasmKube.Shim.Runc;
using WasmKube.Shim.Tasks;

namespace WasmKube.Shim.Bootstrap;

/// <summary>
/// The "delete" action, run by containerd when a shim is gone or a create failed (containerd 1.6 also runs it after
/// each task's delete, once it drops that task's connection): ends what is left of the task, unmounts the rootfs,
/// retires the container's record, and reports a SIGKILL exit as a serialized DeleteResponse on stdout.
/// </summary>
public static class ShimDeleter
{
    public static async Task<int> RunAsync(ShimOptions options, Stream output, CancellationToken cancellationToken)
    {
        var bundle = options.Bundle.Length > 0 ? options.Bundle : Directory.GetCurrentDirectory();
        var records = ContainerRecordStore.FromEnvironment();
        if (records.Read(options.Namespace, options.Id) is { Kind: ContainerRecord.Wasm, Pid: > 0 } record)
        {
            Libc.kill(record.Pid, Libc.SIGKILL);
        }

        await new RuncRunner(ShimPaths.RuncRoot(options.Address, options.Namespace), _ => { }).DeleteAsync(options.Id, bundle, cancellationToken)
            .ContinueWith(_ => { }, TaskScheduler.Default);
        try
        {
            var spec = OciSpec.Load(bundle);
            var rootfs = Path.IsPathRooted(spec.RootPath) ? spec.RootPath : Path.Combine(bundle, spec.RootPath);
            RootfsMounter.Unmount(rootfs);
            if (records.Read(options.Namespace, options.Id) is { Kind: ContainerRecord.Wasm })
            {
                new ContainerCgroup(CgroupHierarchy.Discover(), CgroupHierarchy.RelativePath(spec.CgroupsPath, options.Namespace, options.Id)).Delete();
            }
        }
        catch (InvalidDataException)
        {
            RootfsMounter.Unmount(Path.Combine(bundle, "rootfs"));
        }

        records.Retire(options.Namespace, options.Id, DateTime.UtcNow);
        var response = new DeleteResponse { ExitStatus = 128 + Libc.SIGKILL, ExitedAt = Timestamp.FromDateTime(DateTime.UtcNow) };
        response.WriteTo(output);
        await output.FlushAsync(cancellationToken);
        return 0;
    }
}
