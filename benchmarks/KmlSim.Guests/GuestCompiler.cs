using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace KmlSim.Guests;

/// <summary>
/// Compiles C guest programs into static x86-64 executables, once: the output is cached under
/// <see cref="CacheDirectory"/> by a hash of the source, the toolchain, its flags and the compiler's
/// version, so a test run or a benchmark pays for each distinct guest one compilation, and a cached binary
/// is never stale. Concurrent builders (parallel tests, several processes) are safe: a binary is
/// written under a temporary name and renamed into place.
/// </summary>
public static class GuestCompiler
{
    private static readonly ConcurrentDictionary<GuestToolchain, Lazy<string?>> Versions = new();

    /// <summary>
    /// Where built guests are kept: $KMLSIM_GUEST_CACHE, else $XDG_CACHE_HOME/kmlsim/guests, else
    /// ~/.cache/kmlsim/guests, else the temporary directory.
    /// </summary>
    public static string CacheDirectory
    {
        get
        {
            string? overridden = Environment.GetEnvironmentVariable("KMLSIM_GUEST_CACHE");
            if (!string.IsNullOrEmpty(overridden))
            {
                return overridden;
            }

            string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            string root = !string.IsNullOrEmpty(xdg) ? xdg : !string.IsNullOrEmpty(home) ? Path.Combine(home, ".cache") : Path.GetTempPath();
            return Path.Combine(root, "kmlsim", "guests");
        }
    }

    /// <summary>True when the toolchain's compiler runs on this host.</summary>
    public static bool IsAvailable(GuestToolchain toolchain) => CompilerVersion(toolchain) is not null;

    /// <summary>The compiler command of a toolchain.</summary>
    public static string CompilerOf(GuestToolchain toolchain) => toolchain == GuestToolchain.Musl ? "musl-gcc" : "gcc";

    /// <summary>The flags a toolchain compiles with (libm is always linked).</summary>
    public static IReadOnlyList<string> FlagsOf(GuestToolchain toolchain) => toolchain switch
    {
        GuestToolchain.GlibcStaticPie => ["-O2", "-static-pie", "-fPIE"],
        _ => ["-O2", "-static"],
    };

    /// <summary>Builds (or finds in the cache) the executable for a C source file and returns its path.</summary>
    /// <exception cref="GuestBuildException">The compiler is missing or the build failed.</exception>
    /// <exception cref="IOException">The source cannot be read.</exception>
    public static string Build(string sourcePath, GuestToolchain toolchain = GuestToolchain.Glibc)
    {
        string compiler = CompilerOf(toolchain);
        string version = CompilerVersion(toolchain)
            ?? throw new GuestBuildException($"'{compiler}' was not found; it is needed to build {Path.GetFileName(sourcePath)} ({toolchain})");
        byte[] source = File.ReadAllBytes(sourcePath);
        IReadOnlyList<string> flags = FlagsOf(toolchain);
        string key = Hash(source, compiler, string.Join(' ', flags), version);
        string name = Path.GetFileNameWithoutExtension(sourcePath);
        string output = Path.Combine(CacheDirectory, $"{name}-{toolchain.ToString().ToLowerInvariant()}-{key}");
        if (File.Exists(output))
        {
            return output;
        }

        Directory.CreateDirectory(CacheDirectory);
        string temporary = $"{output}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        var arguments = new List<string>(flags) { "-o", temporary, Path.GetFullPath(sourcePath), "-lm" };
        (int status, string messages) = RunTool(compiler, arguments);
        if (status != 0)
        {
            File.Delete(temporary);
            throw new GuestBuildException($"{compiler} failed to build {sourcePath} (exit {status}):\n{messages}");
        }

        File.Move(temporary, output, overwrite: true);
        return output;
    }

    private static string Hash(byte[] source, params string[] parts)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(source);
        foreach (string part in parts)
        {
            sha.AppendData(Encoding.UTF8.GetBytes("\0" + part));
        }

        return Convert.ToHexString(sha.GetHashAndReset(), 0, 8).ToLowerInvariant();
    }

    private static string? CompilerVersion(GuestToolchain toolchain) =>
        Versions.GetOrAdd(toolchain, t => new Lazy<string?>(() =>
        {
            try
            {
                (int status, string text) = RunTool(CompilerOf(t), ["--version"]);
                return status == 0 ? text.Split('\n')[0] : null;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                return null; // not installed
            }
        })).Value;

    private static (int Status, string Output) RunTool(string command, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(command)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new GuestBuildException($"could not start '{command}'");
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output + error.Result);
    }
}
