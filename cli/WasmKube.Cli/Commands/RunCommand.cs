using System.CommandLine;
using System.Runtime.InteropServices;
using WasmKube.Guest;
using WasmKube.Wasi;

namespace WasmKube.Cli.Commands;

/// <summary>
/// <c>wasmkube run</c>: runs a WASI command module like <c>wasmedge --dir guest:host module.wasm args</c>. The guest
/// sees only what the options give it; its exit code becomes the command's.
/// </summary>
public static class RunCommand
{
    // Options that take a value: SeparateGuestArguments must skip their values to find the module.
    private static readonly string[] ValueOptions = ["--dir", "--env", "-e", "--listen", "--memory-limit", "--timeout", "--fuel", "--engine", "--cache-dir"];

    public static Command Create()
    {
        var dirs = new Option<string[]>("--dir")
        {
            Description = "Preopen a host directory for the guest as GUEST:HOST, or GUEST:HOST:ro for read-only. Repeatable.",
            HelpName = "GUEST:HOST[:ro]",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var env = new Option<string[]>("--env", "-e")
        {
            Description = "Set a guest environment variable (NAME alone copies the host's value). Nothing is inherited otherwise. Repeatable.",
            HelpName = "NAME=VALUE",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var listen = new Option<string[]>("--listen")
        {
            Description = "Listen on HOST:PORT and hand the socket to the guest as a preopened fd (for accept()). Repeatable.",
            HelpName = "HOST:PORT",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var memoryLimit = new Option<string?>("--memory-limit")
        {
            Description = "Cap the guest's linear memory, in bytes (suffixes Ki, Mi, Gi, K, M, G accepted).",
            HelpName = "BYTES",
        };
        var timeout = new Option<string?>("--timeout")
        {
            Description = $"Stop the guest after this long (500ms, 30s, 2m, 1h); exit code {CommandExitCodes.Timeout}.",
            HelpName = "DURATION",
        };
        var fuel = new Option<long?>("--fuel")
        {
            Description = $"Meter the guest's instructions: it traps after about this many (exit code {GuestExitCodes.Trapped}).",
            HelpName = "UNITS",
        };
        var engine = Engines.Option();
        var cacheDir = new Option<string?>("--cache-dir")
        {
            Description = "Folder of the compiled-module cache (default $WASMKUBE_CACHE_DIR, else $XDG_CACHE_HOME/wasmkube or ~/.cache/wasmkube).",
            HelpName = "DIR",
        };
        var noCache = new Option<bool>("--no-cache") { Description = "Compile in memory only; neither read nor write the cache." };
        var requireOpenat2 = new Option<bool>("--require-openat2")
        {
            Description = "Refuse to run when the kernel has no openat2 (Linux < 5.6) instead of confining --dir by a user-space path walk.",
        };
        var module = new Argument<string>("MODULE") { Description = "The .wasm command module to run." };
        var args = new Argument<string[]>("ARGS")
        {
            Description = "Arguments for the guest (everything after MODULE is passed on as is).",
            Arity = ArgumentArity.ZeroOrMore,
        };

        var command = new Command("run", "Run a WebAssembly (WASI preview1) command module. The guest sees only the directories, environment and sockets given here.")
        {
            dirs, env, listen, memoryLimit, timeout, fuel, engine, cacheDir, noCache, requireOpenat2, module, args,
        };
        command.SetAction((parseResult, cancellation) =>
        {
            var error = parseResult.InvocationConfiguration.Error;
            try
            {
                var request = new RunRequest(
                    parseResult.GetValue(module)!,
                    parseResult.GetValue(args) ?? [],
                    parseResult.GetValue(dirs) ?? [],
                    parseResult.GetValue(env) ?? [],
                    parseResult.GetValue(listen) ?? [],
                    parseResult.GetValue(memoryLimit),
                    parseResult.GetValue(timeout),
                    parseResult.GetValue(fuel),
                    parseResult.GetValue(engine)!,
                    parseResult.GetValue(noCache) ? null : parseResult.GetValue(cacheDir) ?? CacheLocation.Default(),
                    parseResult.GetValue(requireOpenat2));
                return Task.FromResult(Execute(request, error, cancellation));
            }
            catch (CliException e)
            {
                error.WriteLine($"wasmkube run: {e.Message}");
                return Task.FromResult(e.ExitCode);
            }
        });
        return command;
    }

    /// <summary>
    /// Inserts "--" after the module path so that everything after it reaches the guest untouched, even tokens that
    /// look like wasmkube's own options (<c>wasmkube run tool.wasm --help</c> asks the tool, not wasmkube).
    /// </summary>
    public static string[] SeparateGuestArguments(string[] args)
    {
        var run = Array.IndexOf(args, "run");
        if (run < 0 || args[..run].Any(a => !a.StartsWith('-'))) return args;
        for (var i = run + 1; i < args.Length; i++)
        {
            var token = args[i];
            if (token == "--") return args;
            if (token.StartsWith('-'))
            {
                if (ValueOptions.Contains(token)) i++;
                continue;
            }

            return i + 1 < args.Length && args[i + 1] != "--" ? [.. args[..(i + 1)], "--", .. args[(i + 1)..]] : args;
        }

        return args;
    }

    private const int SigInt = 2;
    private const int SigTerm = 15;

    private static int Execute(RunRequest request, TextWriter error, CancellationToken cancellation)
    {
        var wasi = new WasiConfiguration().WithArgs([request.Module, .. request.Args]).InheritStdio().WithRequireOpenat2(request.RequireOpenat2);
        foreach (var dir in request.Dirs)
        {
            var preopen = OptionValues.Directory(dir);
            wasi.WithPreopenedDirectory(preopen.HostPath, preopen.GuestPath, preopen.ReadOnly);
        }

        foreach (var variable in request.Env)
        {
            var (name, value) = OptionValues.Environment(variable);
            try
            {
                wasi.WithEnvironment(name, value);
            }
            catch (ArgumentException e)
            {
                throw new CliException($"--env {variable}: {e.Message}");
            }
        }

        foreach (var endpoint in request.Listen) wasi.WithTcpListener(OptionValues.Endpoint(endpoint));
        var memoryLimit = request.MemoryLimit is { } limit ? OptionValues.Size(limit, "--memory-limit") : (long?)null;
        var timeout = request.Timeout is { } duration ? OptionValues.Duration(duration, "--timeout") : (TimeSpan?)null;
        if (request.Fuel is < 0) throw new CliException($"--fuel {request.Fuel}: expected a number of units, 0 or more");

        using var engine = Engines.Create(request.Engine, request.CacheDirectory, meterFuel: request.Fuel is not null);

        // SIGINT and SIGTERM stop the guest; the command then ends with 128 + the signal, as a shell reports a process
        // that signal ended.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var stopSignal = 0;
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            Interlocked.CompareExchange(ref stopSignal, context.Signal == PosixSignal.SIGINT ? SigInt : SigTerm, 0);
            stop.Cancel();
        }

        using var onSigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var onSigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        var result = GuestHost.Run(engine, new GuestRequest
        {
            ModulePath = request.Module,
            Wasi = wasi,
            Limits = new GuestLimits(memoryLimit, request.Fuel),
            Timeout = timeout,
            Stop = stop.Token,
        }, context =>
        {
            // Announced on stderr so that "--listen 127.0.0.1:0" is usable: the caller learns the port the kernel chose.
            foreach (var endpoint in context.ListenerEndpoints) error.WriteLine($"wasmkube run: listening on {endpoint}");
            if (request.Dirs.Length > 0 && !context.KernelEnforcedPaths)
                error.WriteLine("wasmkube run: warning: this kernel has no openat2 (Linux < 5.6); preopened directories are confined by a user-space path walk instead (--require-openat2 refuses to run)");
            error.Flush();
        });

        switch (result.Outcome)
        {
            case GuestOutcome.Refused:
                throw new CliException(result.Message!, result.ExitCode);
            case GuestOutcome.Stopped:
                error.WriteLine("wasmkube run: the guest was interrupted");
                return Volatile.Read(ref stopSignal) is var signal and not 0 ? 128 + signal : CommandExitCodes.Interrupted;
            case GuestOutcome.TimedOut:
                error.WriteLine($"wasmkube run: the guest was stopped after the --timeout of {request.Timeout}");
                return result.ExitCode;
            default:
                if (result.Message is { } report) error.WriteLine(report);
                return result.ExitCode;
        }
    }

    private sealed record RunRequest(string Module, string[] Args, string[] Dirs, string[] Env, string[] Listen,
        string? MemoryLimit, string? Timeout, long? Fuel, string Engine, string? CacheDirectory, bool RequireOpenat2);
}
