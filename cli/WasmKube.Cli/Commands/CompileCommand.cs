using System.CommandLine;
using System.Diagnostics;
using System.Security.Cryptography;
using WasmKube.Guest;

namespace WasmKube.Cli.Commands;

/// <summary>
/// <c>wasmkube compile</c>: compiles a module ahead of time into the on-disk cache that <c>run</c> and the shim's
/// executors read, so the next start skips compilation (like <c>wasmedgec</c>). For Wasmtime the entry is its native
/// code; for our own engine, with crossgen2 available (<see cref="ReadyToRunTool"/>), the entry also holds ReadyToRun
/// native code, so the start skips most JIT work too.
/// </summary>
public static class CompileCommand
{
    public static Command Create()
    {
        var module = new Argument<string>("MODULE") { Description = "The .wasm module to compile." };
        var output = new Option<string?>("--output", "-o")
        {
            Description = "The cache folder to compile into (default: the cache 'wasmkube run' uses, see --help of run).",
            HelpName = "DIR",
        };
        var engineName = Engines.Option();
        var command = new Command("compile", "Compile a module ahead of time into the compiled-module cache, so 'wasmkube run' starts fast.")
        {
            module, output, engineName,
        };
        command.SetAction(parseResult =>
        {
            var error = parseResult.InvocationConfiguration.Error;
            var path = parseResult.GetValue(module)!;
            var cache = parseResult.GetValue(output) ?? CacheLocation.Default();
            try
            {
                try
                {
                    Directory.CreateDirectory(cache);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new CliException($"cannot create the cache folder {cache}: {e.Message}");
                }

                var watch = Stopwatch.StartNew();
                var name = parseResult.GetValue(engineName)!;
                var crossgen2 = name == Engines.Own ? ReadyToRunTool.Locate() : null;
                using var engine = Engines.Create(name, cache, readyToRunCompiler: crossgen2, diagnostic: line => error.WriteLine($"wasmkube compile: {line}"));
                using var compiled = GuestHost.Compile(engine, path);
                var code = compiled.Description;
                if (name == Engines.Own && crossgen2 is null)
                    code += $": crossgen2 not found (set ${ReadyToRunTool.Variable} or install it beside wasmkube as {ReadyToRunTool.BundledPath})";
                var sha256 = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
                parseResult.InvocationConfiguration.Output.WriteLine(
                    $"compiled {path} (sha256 {sha256}) with {engine.Version} into {cache} in {watch.ElapsedMilliseconds} ms ({code})");
                return 0;
            }
            catch (ModuleFileException e)
            {
                error.WriteLine($"wasmkube compile: {e.Message}");
                return CommandExitCodes.UsageError;
            }
            catch (GuestModuleException e)
            {
                error.WriteLine($"wasmkube compile: {e.Message}");
                return CommandExitCodes.UsageError;
            }
            catch (CliException e)
            {
                error.WriteLine($"wasmkube compile: {e.Message}");
                return e.ExitCode;
            }
        });
        return command;
    }
}
