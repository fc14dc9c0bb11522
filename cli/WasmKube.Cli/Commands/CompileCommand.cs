using System.CommandLine;
using System.Diagnostics;
using System.Security.Cryptography;
using WasmKube.Runtime;

namespace WasmKube.Cli.Commands;

/// <summary>
/// <c>wasmkube compile</c>: compiles a module ahead of time into the on-disk cache that <c>run</c> reads, so the
/// next start skips compilation (like <c>wasmedgec</c>, or <c>wasmtime compile</c> with its cache). With crossgen2
/// available (<see cref="ReadyToRunTool"/>) the entry also holds ReadyToRun native code, so the start skips most JIT work too.
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
        var command = new Command("compile", "Compile a module ahead of time into the compiled-module cache, so 'wasmkube run' starts fast.")
        {
            module, output,
        };
        command.SetAction(parseResult =>
        {
            var error = parseResult.InvocationConfiguration.Error;
            var path = parseResult.GetValue(module)!;
            var cache = parseResult.GetValue(output) ?? CacheLocation.Default();
            try
            {
                var bytes = ModuleLoader.ReadModuleBytes(path);
                try
                {
                    Directory.CreateDirectory(cache);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new CliException($"cannot create the cache folder {cache}: {e.Message}");
                }

                var watch = Stopwatch.StartNew();
                var crossgen2 = ReadyToRunTool.Locate();
                var fallbacks = new List<string>();
                var engine = new Engine(new EngineOptions { CacheDirectory = cache, ReadyToRunCompiler = crossgen2, Diagnostic = fallbacks.Add });
                var compiled = ModuleLoader.Compile(engine, bytes, path);
                foreach (var line in fallbacks) error.WriteLine($"wasmkube compile: {line}");
                var code = compiled.IsReadyToRun ? "ReadyToRun native code"
                    : crossgen2 is null ? $"IL only: crossgen2 not found (set ${ReadyToRunTool.Variable} or install it beside wasmkube as {ReadyToRunTool.BundledPath})"
                    : "IL only";
                parseResult.InvocationConfiguration.Output.WriteLine(
                    $"compiled {path} (sha256 {Convert.ToHexStringLower(SHA256.HashData(bytes))}) into {cache} in {watch.ElapsedMilliseconds} ms ({code})");
                return 0;
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
