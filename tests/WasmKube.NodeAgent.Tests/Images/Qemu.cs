using System.Diagnostics;

namespace WasmKube.NodeAgent.Tests.Images;

/// <summary>
/// Runs arm64 programs on this machine (which has no arm64 CPU) with qemu's user-mode emulation: qemu translates the
/// instructions and the system calls; the program's loader and libraries come from the root given with -L.
/// </summary>
internal static class Qemu
{
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAarch64Async(string libraryRoot, string program, params string[] arguments)
    {
        var info = new ProcessStartInfo("qemu-aarch64-static") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["-L", libraryRoot, program, .. arguments]) info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Whether the file is a 64-bit ELF file for AArch64 (e_machine 183).</summary>
    public static bool IsAarch64Elf(string path)
    {
        var header = new byte[20];
        using (var file = File.OpenRead(path))
        {
            if (file.Read(header) < header.Length) return false;
        }

        return header is [0x7f, (byte)'E', (byte)'L', (byte)'F', 2, ..] && BitConverter.ToUInt16(header, 18) == 183;
    }
}
