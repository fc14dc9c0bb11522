using System.Diagnostics;
using System.Runtime.InteropServices;

namespace WasmKube.Runtime.Compilation;

/// <summary>
/// Adds ReadyToRun native code to a compiled module's assembly by running crossgen2 (an external tool, so the engine
/// keeps no package dependencies) against the running shared framework and this runtime assembly. The result is still
/// a complete IL assembly; the runtime uses its native code when the assembly is loaded non-collectible and falls
/// back to the JIT per method where the native code does not apply.
/// </summary>
internal static class ReadyToRunCompiler
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    /// <summary>Compiles <paramref name="assembly"/>; on failure returns null and says why in <paramref name="failure"/>.</summary>
    public static byte[]? TryCompile(string compiler, byte[] assembly, out string failure)
    {
        failure = "";
        if (TargetArchitecture() is not { } architecture || TargetOperatingSystem() is not { } operatingSystem)
        {
            failure = $"ReadyToRun code is not available for {RuntimeInformation.RuntimeIdentifier}";
            return null;
        }

        if (!File.Exists(compiler))
        {
            failure = $"crossgen2 not found at {compiler}";
            return null;
        }

        var runtimeAssembly = typeof(Func).Assembly.Location;
        if (runtimeAssembly.Length == 0)
        {
            failure = "the runtime assembly has no file for crossgen2 to reference (single-file application)";
            return null;
        }

        DirectoryInfo? work = null;
        try
        {
            work = Directory.CreateTempSubdirectory("wasmkube-r2r-");
            var input = Path.Combine(work.FullName, "input.dll");
            var output = Path.Combine(work.FullName, "output.dll");
            File.WriteAllBytes(input, assembly);
            var start = new ProcessStartInfo(compiler)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in (string[])[
                input, "-o", output,
                "-r", Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "*.dll"),
                "-r", runtimeAssembly,
                "--targetos", operatingSystem, "--targetarch", architecture, "-O",
            ])
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                failure = $"crossgen2 did not finish within {Timeout.TotalMinutes} minutes";
                return null;
            }

            if (process.ExitCode != 0 || !File.Exists(output))
            {
                var message = (stderr.Result + stdout.Result).Trim();
                failure = $"crossgen2 exited with code {process.ExitCode}: {(message.Length > 2000 ? message[..2000] : message)}";
                return null;
            }

            var native = File.ReadAllBytes(output);
            if (!ReadyToRunImage.HasNativeCode(native))
            {
                failure = "crossgen2 produced no ReadyToRun code";
                return null;
            }

            return native;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception)
        {
            failure = $"cannot run crossgen2 ({compiler}): {e.Message}";
            return null;
        }
        finally
        {
            try { work?.Delete(recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>What native code is compiled for; part of the cache flavour of ReadyToRun entries.</summary>
    public static string Target => $"{TargetOperatingSystem()}-{TargetArchitecture()}";

    private static string? TargetArchitecture() => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => "x64",
        Architecture.Arm64 => "arm64",
        _ => null,
    };

    private static string? TargetOperatingSystem() =>
        OperatingSystem.IsLinux() ? "linux" : OperatingSystem.IsWindows() ? "windows" : OperatingSystem.IsMacOS() ? "osx" : null;
}
