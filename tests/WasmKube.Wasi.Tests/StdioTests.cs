using System.Diagnostics;
using System.Text;
using WasmKube.Wasi.Abi;

namespace WasmKube.Wasi.Tests;

public sealed class StdioTests : IDisposable
{
    private readonly TempTree _tree = new();

    public void Dispose() => _tree.Dispose();

    [Fact]
    public void Stdout_and_stderr_redirected_to_files_append()
    {
        var stdout = _tree.File("out.log", "earlier\n");
        var stderr = _tree["err.log"];
        using (var guest = new GuestHarness(new WasiConfiguration().WithStdout(WasiStdio.File(stdout)).WithStderr(WasiStdio.File(stderr))))
        {
            Assert.Equal(Errno.Success, guest.Write(1, "to stdout\n"));
            Assert.Equal(Errno.Success, guest.Write(2, "to stderr\n"));
        }

        Assert.Equal("earlier\nto stdout\n", File.ReadAllText(stdout));
        Assert.Equal("to stderr\n", File.ReadAllText(stderr));
    }

    [Fact]
    public void Stdin_redirected_from_a_file_reads_its_content()
    {
        var input = _tree.File("in.txt", "from a file");
        using var guest = new GuestHarness(new WasiConfiguration().WithStdin(WasiStdio.File(input)));
        Assert.Equal((Errno.Success, "from a file"), guest.Read(0));
        Assert.Equal(Errno.NotCapable, guest.Write(0, "x"));
    }

    [Fact]
    public void Stdio_can_be_fifos_as_containerd_hands_them_to_a_shim()
    {
        var stdinFifo = MakeFifo("stdin");
        var stdoutFifo = MakeFifo("stdout");
        // Opening a FIFO waits for its other end, so the host's ends are opened concurrently, as containerd does.
        var writer = new Thread(() =>
        {
            using var w = new FileStream(stdinFifo, FileMode.Open, FileAccess.Write);
            w.Write("request\n"u8);
        });
        var echoed = "";
        var reader = new Thread(() =>
        {
            using var r = new StreamReader(new FileStream(stdoutFifo, FileMode.Open, FileAccess.Read));
            echoed = r.ReadToEnd();
        });
        writer.Start();
        reader.Start();

        using (var guest = new GuestHarness(new WasiConfiguration().WithStdin(WasiStdio.File(stdinFifo)).WithStdout(WasiStdio.File(stdoutFifo))))
        {
            var stat = guest.Alloc(24);
            Assert.Equal(Errno.Success, guest.Wasi.FdFdstatGet(guest.Memory, 1, stat));
            Assert.Equal((byte)FileType.Unknown, guest.Memory[stat]);
            writer.Join();
            var (error, text) = guest.Read(0);
            Assert.Equal(Errno.Success, error);
            Assert.Equal(Errno.Success, guest.Write(1, "echo: ", text));
        }

        reader.Join();
        Assert.Equal("echo: request\n", echoed);
    }

    [Fact]
    public void Captured_output_is_collected_in_the_stream()
    {
        var capture = new MemoryStream();
        using var guest = new GuestHarness(new WasiConfiguration().WithStderr(WasiStdio.Stream(capture)));
        guest.Write(2, "captured");
        Assert.Equal("captured", Encoding.UTF8.GetString(capture.ToArray()));
        Assert.Equal(Errno.NotCapable, guest.Write(0, "x"));
    }

    [Fact]
    public void A_missing_preopen_is_reported_with_its_path()
    {
        var missing = _tree["does-not-exist"];
        var error = Assert.Throws<DirectoryNotFoundException>(() => new WasiConfiguration().WithPreopenedDirectory(missing, "/data").Build());
        Assert.Contains(missing, error.Message);
        Assert.Contains("/data", error.Message);
    }

    [Fact]
    public void An_unopenable_stdio_file_is_reported_with_its_path()
    {
        var bad = _tree["no/such/dir/out.log"];
        var error = Assert.Throws<IOException>(() => new WasiConfiguration().WithStdout(WasiStdio.File(bad)).Build());
        Assert.Contains(bad, error.Message);
        Assert.Contains("stdout", error.Message);
    }

    private string MakeFifo(string name)
    {
        var path = _tree[name];
        using var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })!;
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
        return path;
    }
}
