using WasmKube.Kube.Testing.Envtest;

namespace WasmKube.Kube.Testing.Tests.Envtest;

/// <summary>
/// A temp directory laid out like envtest's KUBEBUILDER_ASSETS: <c>etcd</c> links to the real /usr/bin/etcd and
/// <c>kube-apiserver</c> to kube-apiserver-standin.sh (or is a script of the test's choosing, or is missing).
/// </summary>
internal sealed class StandInAssets : IDisposable
{
    public const string RealEtcd = "/usr/bin/etcd";

    StandInAssets(string directory) => Directory = directory;

    public string Directory { get; }

    /// <summary>etcd and the stand-in kube-apiserver that checks its flags and then serves the test API server.</summary>
    public static StandInAssets Create()
    {
        var assets = WithEtcd();
        var script = Path.Combine(AppContext.BaseDirectory, "Envtest", "kube-apiserver-standin.sh");
        // The build copies the file without its mode bits.
        File.SetUnixFileMode(script, File.GetUnixFileMode(script) | UnixFileMode.UserExecute);
        File.CreateSymbolicLink(Path.Combine(assets.Directory, EnvtestControlPlane.ApiServerBinary), script);
        return assets;
    }

    /// <summary>etcd and a kube-apiserver that is the shell script <paramref name="script"/>.</summary>
    public static StandInAssets CreateWithApiServerScript(string script)
    {
        var assets = WithEtcd();
        var path = Path.Combine(assets.Directory, EnvtestControlPlane.ApiServerBinary);
        File.WriteAllText(path, script);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return assets;
    }

    /// <summary>etcd only: kube-apiserver is missing.</summary>
    public static StandInAssets WithEtcd()
    {
        if (!File.Exists(RealEtcd))
        {
            throw new InvalidOperationException($"{RealEtcd} is missing: install the etcd-server package (scripts/deps.sh does)");
        }
        var assets = Empty();
        File.CreateSymbolicLink(Path.Combine(assets.Directory, EnvtestControlPlane.EtcdBinary), RealEtcd);
        return assets;
    }

    public static StandInAssets Empty() => new(System.IO.Directory.CreateTempSubdirectory("wasmkube-envtest-assets-").FullName);

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
