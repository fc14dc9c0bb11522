using System.Diagnostics;
using System.Text.Json.Nodes;
using WasmKube.Guest;
using WasmKube.Images;
using WasmKube.Shim.Tests.Infrastructure;

namespace WasmKube.Shim.Tests;

/// <summary>
/// The ctr path: `ctr run --runtime io.containerd.wasmkube.v1` against a real containerd, on each engine (the
/// subclasses select it with the <c>wasmkube.io/engine</c> annotation, as a pod's would).
/// </summary>
public abstract class CtrTests(ContainerdInstance containerd) : IClassFixture<ContainerdInstance>
{
    protected abstract string Engine { get; }

    private static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";

    private string[] Runtime => ["--runtime", ContainerdInstance.Runtime, "--annotation", $"wasmkube.io/engine={Engine}"];

    private Task<CommandResult> RunAsync(string image, string id, params string[] args) =>
        containerd.Ctr(["run", "--rm", .. Runtime, image, id, .. args]);

    [Fact]
    public async Task Native_busybox_runs_through_runc_with_its_output_and_exit_code()
    {
        var image = await containerd.ImportBusyboxImageAsync("default", "ctr-busybox:1", "echo", "hi");

        var result = await RunAsync(image, NewId("bb"), "/bin/busybox", "sh", "-c", "echo to-stdout; echo to-stderr >&2; exit 7");

        Assert.Equal(7, result.ExitCode);
        Assert.Equal("to-stdout\n", result.Stdout);
        Assert.Contains("to-stderr", result.Stderr);
    }

    [Fact]
    public async Task Hello_module_writes_stdout_and_stderr_and_exits_zero()
    {
        var image = await containerd.ImportWasmImageAsync("default", "hello", "ctr-hello:1");

        var result = await RunAsync(image, NewId("hello"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("hello from wasm\n", result.Stdout);
        Assert.Equal("a line on stderr\n", result.Stderr);
    }

    [Fact]
    public async Task Task_events_reach_containerd_in_order()
    {
        var image = await containerd.ImportWasmImageAsync("default", "exit", "ctr-exit:1");
        var id = NewId("events");
        var info = new ProcessStartInfo("ctr", ["-a", containerd.Socket, "events"]) { RedirectStandardOutput = true, UseShellExecute = false };
        using var events = Process.Start(info)!;
        var lines = new List<string>();
        events.OutputDataReceived += (_, e) =>
        {
            lock (lines)
            {
                lines.Add(e.Data ?? "");
            }
        };
        events.BeginOutputReadLine();
        try
        {
            await Task.Delay(500);
            var run = await RunAsync(image, id);
            var deadline = Stopwatch.StartNew();
            List<string> topics;
            do
            {
                await Task.Delay(100);
                lock (lines)
                {
                    topics = lines.Where(l => l.Contains(id, StringComparison.Ordinal))
                        .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(f => f.StartsWith("/tasks/", StringComparison.Ordinal)) ?? "")
                        .Where(t => t.Length > 0).ToList();
                }
            }
            while (!topics.Contains("/tasks/delete") && deadline.Elapsed < TimeSpan.FromSeconds(20));

            Assert.Equal(42, run.ExitCode);
            Assert.Equal(["/tasks/create", "/tasks/start", "/tasks/exit", "/tasks/delete"], topics);
        }
        finally
        {
            events.Kill();
            await events.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task Exit_codes_args_and_env_reach_the_caller()
    {
        var exitImage = await containerd.ImportWasmImageAsync("default", "exit", "ctr-exit:1");
        var echoImage = await containerd.ImportWasmImageAsync("default", "echo", "ctr-echo:1", args: ["from", "image"], env: ["GREETING=from-image"]);
        var trapImage = await containerd.ImportWasmImageAsync("default", "trap", "ctr-trap:1");

        var exit = await RunAsync(exitImage, NewId("exit"));
        var echo = await containerd.Ctr(["run", "--rm", .. Runtime, "--env", "GREETING=hi", echoImage, NewId("echo"), "/echo.wasm", "one", "two", "three"]);
        var echoDefaults = await RunAsync(echoImage, NewId("echo"));
        var trap = await RunAsync(trapImage, NewId("trap"));

        Assert.Equal(42, exit.ExitCode);
        Assert.Equal(3, echo.ExitCode);
        Assert.Equal("one two three\nGREETING=hi\n", echo.Stdout);
        Assert.Equal("from image\nGREETING=from-image\n", echoDefaults.Stdout);
        Assert.Equal(134, trap.ExitCode);
        Assert.Contains("unreachable", trap.Stderr);
    }

    [Fact]
    public async Task The_memory_limit_also_caps_linear_memory()
    {
        var image = await containerd.ImportWasmImageAsync("default", "grow", "ctr-grow:1");
        const long limit = 128L << 20;

        var result = await containerd.Ctr(["run", "--rm", .. Runtime, "--memory-limit", limit.ToString(System.Globalization.CultureInfo.InvariantCulture), image, NewId("grow")]);

        // The guest exits with the linear memory it reached, in 4 MiB units: memory.grow failed below the limit
        // (what the executor itself uses is kept free), instead of the kernel killing the process (137).
        Assert.InRange(result.ExitCode, 1, (int)(limit / (4 << 20)) - 1);
    }

    [Fact]
    public async Task Fuel_ends_a_run_that_exceeds_it()
    {
        var image = await containerd.ImportWasmImageAsync("default", "spin", "ctr-spin:1");

        var run = await RunKeptAsync(image, NewId("fuel"), "wasmkube.io/fuel=100000");

        Assert.Equal(GuestExitCodes.Trapped, run.ExitCode);
        Assert.EndsWith("wasmkube: the guest ran out of its fuel of 100000 units (wasmkube.io/fuel)\n", run.Output);
        Assert.Equal("out-of-fuel", run.EngineStats["exitReason"]!.GetValue<string>());
        Assert.Equal(GuestExitCodes.Trapped, run.EngineStats["exitCode"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_timeout_ends_a_run_that_exceeds_it()
    {
        var image = await containerd.ImportWasmImageAsync("default", "spin", "ctr-spin:1");

        var run = await RunKeptAsync(image, NewId("timeout"), "wasmkube.io/timeout=500ms");

        Assert.Equal(GuestExitCodes.TimedOut, run.ExitCode);
        Assert.EndsWith("wasmkube: the guest was stopped after its timeout of 500ms (wasmkube.io/timeout)\n", run.Output);
        Assert.Equal("timeout", run.EngineStats["exitReason"]!.GetValue<string>());
        Assert.Equal(GuestExitCodes.TimedOut, run.EngineStats["exitCode"]!.GetValue<int>());
    }

    [Fact]
    public async Task Max_memory_caps_linear_memory_and_a_trap_it_caused_names_it()
    {
        var growImage = await containerd.ImportWasmImageAsync("default", "grow", "ctr-grow:1");
        var oomImage = await containerd.ImportWasmImageAsync("default", "oom", "ctr-oom:1");

        var grow = await RunKeptAsync(growImage, NewId("grow"), "wasmkube.io/max-memory=16Mi");
        var oom = await RunKeptAsync(oomImage, NewId("oom"), "wasmkube.io/max-memory=16Mi");

        // grow exits with the memory it reached in 4 MiB units: memory.grow failed at exactly the cap.
        Assert.Equal(4, grow.ExitCode);
        Assert.Equal("exited", grow.EngineStats["exitReason"]!.GetValue<string>());
        Assert.Equal(16L << 20, grow.EngineStats["linearMemoryBytes"]!.GetValue<long>());
        Assert.Equal(GuestExitCodes.Trapped, oom.ExitCode);
        Assert.Contains("wasm trap: unreachable", oom.Output);
        Assert.Contains("wasmkube: linear memory was 15.06 MiB of its cap of 16 MiB (wasmkube.io/max-memory)", oom.Output);
        Assert.Equal("trap", oom.EngineStats["exitReason"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_limit_annotation_that_does_not_parse_fails_the_create()
    {
        var image = await containerd.ImportWasmImageAsync("default", "hello", "ctr-hello:1");

        var fuel = await containerd.Ctr(["run", "--rm", .. Runtime, "--annotation", "wasmkube.io/fuel=lots", image, NewId("badfuel")]);
        var timeout = await containerd.Ctr(["run", "--rm", .. Runtime, "--annotation", "wasmkube.io/timeout=30", image, NewId("badtimeout")]);

        Assert.NotEqual(0, fuel.ExitCode);
        // containerd passes the shim's message on (its quotes possibly escaped).
        Assert.Matches(@"the wasmkube\.io/fuel annotation is \\?""lots\\?""; write a whole number", fuel.Stderr);
        Assert.NotEqual(0, timeout.ExitCode);
        Assert.Matches(@"the wasmkube\.io/timeout annotation is \\?""30\\?""; write a positive duration", timeout.Stderr);
    }

    [Fact]
    public async Task Kill_interrupts_a_spinning_guest_whose_cpu_shows_in_metrics()
    {
        var image = await containerd.ImportWasmImageAsync("default", "spin", "ctr-spin:1");
        var id = NewId("spin");
        var run = RunAsync(image, id);
        await WaitForStatusAsync(id, "RUNNING");

        var cpu = await WaitForCpuAsync(id);
        var kill = await containerd.Ctr("task", "kill", id);
        var result = await run.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(cpu > 0, "cpuacct.usage of the spinning guest stayed 0");
        Assert.Equal(0, kill.ExitCode);
        Assert.Equal(128 + 15, result.ExitCode);
    }

    [Fact]
    public async Task Exec_runs_a_second_wasm_command_beside_the_running_guest()
    {
        var image = await containerd.ImportImageAsync("default", new ImageBuildOptions
        {
            ModulePath = containerd.Guest("spin"),
            ModuleImagePath = "/spin.wasm",
            Files = [new ImageFile(containerd.Guest("echo"), "/bin/echo.wasm", ImageFile.Executable)],
            Reference = ImageReference.Parse("ctr-spin-echo:1"),
            Platform = ImagePlatform.LinuxAmd64,
        });
        var id = NewId("exec");
        Assert.Equal(0, (await containerd.Ctr(["run", "-d", .. Runtime, image, id])).ExitCode);
        try
        {
            await WaitForStatusAsync(id, "RUNNING");

            var exec = await containerd.Ctr("task", "exec", "--exec-id", "second", id, "/bin/echo.wasm", "via", "exec");

            Assert.Equal(2, exec.ExitCode);
            Assert.Equal("via exec\nGREETING=(unset)\n", exec.Stdout);
            Assert.Equal("RUNNING", await StatusAsync(id));
        }
        finally
        {
            await containerd.Ctr("task", "kill", "-s", "KILL", id);
            await WaitForStatusAsync(id, "STOPPED");
            await containerd.Ctr("task", "delete", id);
            await containerd.Ctr("container", "rm", id);
        }
    }

    [Fact]
    public async Task Restarting_containerd_keeps_a_running_guest_and_its_exit()
    {
        var image = await containerd.ImportWasmImageAsync("default", "spin", "ctr-spin:1");
        var id = NewId("restart");
        Assert.Equal(0, (await containerd.Ctr(["run", "-d", .. Runtime, image, id])).ExitCode);
        await WaitForStatusAsync(id, "RUNNING");
        var pidBefore = await PidAsync(id);

        await containerd.RestartAsync();

        Assert.Equal("RUNNING", await StatusAsync(id));
        Assert.Equal(pidBefore, await PidAsync(id));
        Assert.Equal(0, (await containerd.Ctr("task", "kill", id)).ExitCode);
        await WaitForStatusAsync(id, "STOPPED");
        var delete = await containerd.Ctr("task", "delete", id);
        Assert.Contains("exit code 143", delete.Stderr);
        Assert.Equal(0, (await containerd.Ctr("container", "rm", id)).ExitCode);
    }

    [Fact]
    public async Task A_lost_shim_is_cleaned_up_by_the_delete_action()
    {
        var image = await containerd.ImportWasmImageAsync("default", "spin", "ctr-spin:1");
        var id = NewId("lost");
        Assert.Equal(0, (await containerd.Ctr(["run", "-d", .. Runtime, image, id])).ExitCode);
        await WaitForStatusAsync(id, "RUNNING");
        var executorPid = int.Parse((await PidAsync(id))!, System.Globalization.CultureInfo.InvariantCulture);
        var record = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(containerd.RecordDirectory, "default", id + ".json")));
        var shimPid = record.RootElement.GetProperty("shimPid").GetInt32();

        Process.GetProcessById(shimPid).Kill();
        var deadline = Stopwatch.StartNew();
        while (await StatusAsync(id) is "RUNNING" && deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(200);
        }

        await containerd.Ctr("task", "delete", id);
        var remove = await containerd.Ctr("container", "rm", id);
        Assert.Equal(0, remove.ExitCode);
        deadline.Restart();
        while (IsAlive(executorPid) && deadline.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(100);
        }

        while (File.ReadAllText("/proc/self/mountinfo").Contains(id, StringComparison.Ordinal) && deadline.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(100);
        }

        Assert.False(IsAlive(executorPid), $"the executor outlived its lost shim; shim log:\n{ReadShimLog()}");
        Assert.DoesNotContain(id, File.ReadAllText("/proc/self/mountinfo"));
    }

    [Fact]
    public async Task Bad_entrypoints_fail_with_a_clear_error_and_a_nonzero_exit()
    {
        var text = Path.Combine(containerd.Root, "not-wasm.txt");
        await File.WriteAllTextAsync(text, "this is a text file, not a program\n");
        var invalid = Path.Combine(containerd.Root, "invalid.wasm");
        await File.WriteAllBytesAsync(invalid, [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0xff, 0xff]);
        var textImage = await containerd.ImportImageAsync("default", new ImageBuildOptions
        {
            ModulePath = text, ModuleImagePath = "/app", RequireWasm = false,
            Reference = ImageReference.Parse("ctr-bad-text:1"), Platform = ImagePlatform.LinuxAmd64,
        });
        var invalidImage = await containerd.ImportImageAsync("default", new ImageBuildOptions
        {
            ModulePath = invalid, ModuleImagePath = "/app.wasm",
            Reference = ImageReference.Parse("ctr-bad-module:1"), Platform = ImagePlatform.LinuxAmd64,
        });
        var helloImage = await containerd.ImportWasmImageAsync("default", "hello", "ctr-hello:1");

        var notWasm = await RunAsync(textImage, NewId("text"));
        var badModule = await RunAsync(invalidImage, NewId("invalid"));
        var missing = await RunAsync(helloImage, NewId("missing"), "/missing.wasm");
        var good = await RunAsync(helloImage, NewId("good"));

        Assert.Equal(126, notWasm.ExitCode);
        Assert.Contains("neither a WebAssembly module", notWasm.Stderr);
        Assert.Equal(GuestExitCodes.InvalidModule, badModule.ExitCode);
        Assert.Contains("not a valid WebAssembly module", badModule.Stderr);
        Assert.Equal(127, missing.ExitCode);
        Assert.Contains("\"/missing.wasm\" does not exist in the image", missing.Stderr);
        Assert.Equal(0, good.ExitCode);
    }

    /// <summary>
    /// Runs detached with stdout and stderr appended to a file, waits for the exit, and reads what only lasts until the
    /// task's delete: the container record's exit status (what the shim reports to containerd) and the engine statistics.
    /// </summary>
    private async Task<(int ExitCode, string Output, JsonNode EngineStats)> RunKeptAsync(string image, string id, params string[] annotations)
    {
        var log = Path.Combine(containerd.Root, id + ".log");
        var run = await containerd.Ctr(["run", "-d", .. Runtime, .. annotations.SelectMany(a => new[] { "--annotation", a }), "--log-uri", "file://" + log, image, id]);
        Assert.True(run.ExitCode == 0, run.ToString());
        await WaitForStatusAsync(id, "STOPPED");
        var deadline = Stopwatch.StartNew();
        JsonNode record;
        while ((record = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(containerd.RecordDirectory, "default", id + ".json")))!)["exitStatus"] is null)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), $"the record of {id} has no exit status: {record}");
            await Task.Delay(50);
        }

        var stats = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(containerd.RecordDirectory, "default", id + ".engine.json")))!;
        await containerd.Ctr("task", "delete", id);
        await containerd.Ctr("container", "delete", id);
        return (record["exitStatus"]!.GetValue<int>(), await File.ReadAllTextAsync(log), stats);
    }

    private async Task<string?> StatusAsync(string id)
    {
        var list = await containerd.Ctr("task", "ls");
        return list.Stdout.Split('\n').Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .FirstOrDefault(f => f.Length == 3 && f[0] == id)?[2];
    }

    private async Task<string?> PidAsync(string id)
    {
        var list = await containerd.Ctr("task", "ls");
        return list.Stdout.Split('\n').Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .FirstOrDefault(f => f.Length == 3 && f[0] == id)?[1];
    }

    private async Task WaitForStatusAsync(string id, string status)
    {
        var deadline = Stopwatch.StartNew();
        while (await StatusAsync(id) != status)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), $"task {id} did not reach {status}; shim log:\n{ReadShimLog()}");
            await Task.Delay(100);
        }
    }

    private async Task<long> WaitForCpuAsync(string id)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var metrics = await containerd.Ctr("task", "metrics", id);
            var line = metrics.Stdout.Split('\n').FirstOrDefault(l => l.StartsWith("cpuacct.usage ", StringComparison.Ordinal) || l.StartsWith("cpu.usage_usec ", StringComparison.Ordinal));
            var value = line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
            if (value > 0 || deadline.Elapsed > TimeSpan.FromSeconds(30))
            {
                return value;
            }

            await Task.Delay(200);
        }
    }

    /// <summary>Running, not a zombie waiting for a reaper.</summary>
    private static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return !stat[(stat.LastIndexOf(')') + 1)..].TrimStart().StartsWith('Z');
        }
        catch (IOException)
        {
            return false;
        }
    }

    private string ReadShimLog() => File.Exists(containerd.ShimLog) ? File.ReadAllText(containerd.ShimLog) : "(none)";
}

[Collection(ContainerdCollection.Name)]
public sealed class CtrOnWasmtimeTests(ContainerdInstance containerd) : CtrTests(containerd)
{
    protected override string Engine => "wasmtime";
}

[Collection(ContainerdCollection.Name)]
public sealed class CtrOnWasmKubeEngineTests(ContainerdInstance containerd) : CtrTests(containerd)
{
    protected override string Engine => "wasmkube";
}
