namespace KmlSim.Kernel.Elf;

/// <summary>
/// A dynamically linked executable whose program interpreter (PT_INTERP, e.g. /lib64/ld-linux-x86-64.so.2)
/// is not a regular file in the guest's file system: execve fails with ENOENT, as on Linux.
/// </summary>
public sealed class InterpreterNotFoundException(string interpreter)
    : FileNotFoundException($"dynamically linked: its interpreter {interpreter} is not in the guest's file system (give the guest a root that holds it: MachineOptions.Root, or kmlsim run's default host /usr, /lib*, /etc)", interpreter)
{
    /// <summary>The guest path the executable names as its interpreter.</summary>
    public string Interpreter { get; } = interpreter;
}
