using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.PortableExecutable;
using System.Runtime.Loader;

namespace WasmKube.Runtime.Compilation;

/// <summary>Recognizes and loads assemblies that carry ReadyToRun native code (see <see cref="ReadyToRunCompiler"/>).</summary>
internal static class ReadyToRunImage
{
    /// <summary>Whether the assembly carries ReadyToRun code: crossgen2 points the CLI header's ManagedNativeHeader at it.</summary>
    public static bool HasNativeCode(byte[] assembly)
    {
        try
        {
            using var pe = new PEReader(ImmutableArray.Create(assembly));
            return pe.PEHeaders.CorHeader is { ManagedNativeHeaderDirectory.Size: > 0 };
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }

    /// <summary>
    /// Loads a verified image so its native code is used. The runtime only runs ReadyToRun code of images it maps
    /// from a file (an assembly loaded from a stream is JIT-compiled), so the bytes go to a private temporary file
    /// that is unlinked once mapped. Returns null where that file cannot be written or loaded; the caller then loads the IL.
    /// </summary>
    public static Assembly? TryLoad(AssemblyLoadContext context, byte[] assembly)
    {
        DirectoryInfo? folder = null;
        try
        {
            folder = Directory.CreateTempSubdirectory("wasmkube-r2r-");
            var file = Path.Combine(folder.FullName, "code.dll");
            File.WriteAllBytes(file, assembly);
            return context.LoadFromAssemblyPath(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        finally
        {
            // Unlinking a mapped file is fine on Linux; where it is not, the folder is left for the OS to clean.
            try { folder?.Delete(recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
