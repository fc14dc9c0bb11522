using System.Globalization;
using System.Runtime.InteropServices;
using WasmKube.Shim.Containment;
using WasmKube.Shim.Tests.Infrastructure;

namespace WasmKube.Shim.Tests.Seccomp;

/// <summary>
/// seccomp-loader.c built for the host: installs a compiled program in a fresh process and runs syscalls under it, so
/// the kernel itself checks what the compiler made.
/// </summary>
public sealed class SeccompLoader : IAsyncLifetime
{
    public const int SIGSYS = 31;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "wks-seccomp-" + Guid.NewGuid().ToString("N")[..8]);

    public string Program => Path.Combine(_directory, "seccomp-loader");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        await Commands.CheckedAsync("clang", "-O2", "-Wall", "-Werror", "-o", Program,
            Path.Combine(AppContext.BaseDirectory, "Seccomp", "seccomp-loader.c"));
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    public static int Nr(string name) => SyscallTable.For(RuntimeInformation.ProcessArchitecture)[name];

    /// <summary>Runs <paramref name="operations"/> (see seccomp-loader.c) under <paramref name="program"/>, or under no filter.</summary>
    public async Task<LoaderRun> RunAsync(SeccompProgram? program, params string[] operations)
    {
        var filter = "-";
        if (program is not null)
        {
            filter = Path.Combine(_directory, Guid.NewGuid().ToString("N") + ".bpf");
            await File.WriteAllBytesAsync(filter, program.ToBytes());
        }

        var flags = ((uint)(program?.Flags ?? SeccompFilterFlags.None)).ToString(CultureInfo.InvariantCulture);
        var result = await Commands.RunAsync(Program, [filter, flags, .. operations], TimeSpan.FromSeconds(30));
        return new LoaderRun(result, operations);
    }
}

/// <summary>What one loader process printed: each operation's result and errno, in order, and how it ended.</summary>
public sealed class LoaderRun
{
    private readonly Dictionary<string, (long Result, int Errno)> _outcomes = new(StringComparer.Ordinal);

    public LoaderRun(CommandResult command, IReadOnlyList<string> operations)
    {
        Command = command;
        foreach (var line in command.Stdout.Split('\n'))
        {
            var fields = line.Split(' ');
            if (fields.Length == 3 && operations.Contains(fields[0]))
            {
                _outcomes[fields[0]] = (long.Parse(fields[1], CultureInfo.InvariantCulture), int.Parse(fields[2], CultureInfo.InvariantCulture));
            }
        }
    }

    public CommandResult Command { get; }

    public int ExitCode => Command.ExitCode;

    public bool KilledBySigsys => Command.ExitCode == 128 + SeccompLoader.SIGSYS;

    public bool Ran(string operation) => _outcomes.ContainsKey(operation);

    /// <summary>The errno <paramref name="operation"/> failed with, 0 when it succeeded.</summary>
    public int Errno(string operation) =>
        _outcomes.TryGetValue(operation, out var outcome) ? outcome.Errno : throw new Xunit.Sdk.XunitException($"{operation} did not run: {Command}");

    public long Result(string operation) =>
        _outcomes.TryGetValue(operation, out var outcome) ? outcome.Result : throw new Xunit.Sdk.XunitException($"{operation} did not run: {Command}");

    public override string ToString() => Command.ToString();
}
