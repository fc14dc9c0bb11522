using System.CommandLine;
using WasmKube.Cli.Commands;

namespace WasmKube.Cli;

/// <summary>The <c>wasmkube</c> command line: one class per command, each with a <c>Create()</c> returning its Command.</summary>
public static class CliApplication
{
    public static RootCommand CreateRootCommand()
    {
        var root = new RootCommand("wasmkube: run WebAssembly (WASI) workloads, locally or on Kubernetes.");
        root.Add(RunCommand.Create());
        root.Add(CompileCommand.Create());
        root.Add(Image.ImageCommand.Create());
        return root;
    }

    public static int Run(string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        var configuration = new InvocationConfiguration();
        if (output is not null) configuration.Output = output;
        if (error is not null) configuration.Error = error;
        var parsed = CreateRootCommand().Parse(RunCommand.SeparateGuestArguments(args));
#if NATIVE_FRONT
        if (parsed.Errors.Count == 0 && parsed.CommandResult.Command.Name is "run" or "compile" && parsed.GetValue<string>("--engine") == Engines.Own)
        {
            return JitProgram.Exec(args, configuration.Error);
        }
#endif
        return parsed.Invoke(configuration);
    }
}
