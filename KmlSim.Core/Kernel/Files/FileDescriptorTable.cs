using KmlSim.Kernel.Syscalls;

namespace KmlSim.Kernel.Files;

/// <summary>
/// A process's descriptor table: small integers naming open file descriptions, each with its
/// close-on-exec flag. dup shares a description (offset and status flags); <see cref="Clone"/> copies the
/// table for fork (every description gains a reference); <see cref="CloseOnExec"/> runs at execve.
/// </summary>
internal sealed class FileDescriptorTable
{
    /// <summary>RLIMIT_NOFILE's default soft limit: descriptors are below it.</summary>
    public const int DefaultLimit = 1024;

    private readonly List<(OpenFile File, bool CloseOnExec)?> slots = [];

    /// <summary>The open description behind <paramref name="fd"/>, or null (EBADF).</summary>
    public OpenFile? Get(int fd) => fd >= 0 && fd < slots.Count ? slots[fd]?.File : null;

    /// <summary>The close-on-exec flag of an open descriptor.</summary>
    public bool GetCloseOnExec(int fd) => fd >= 0 && fd < slots.Count && slots[fd] is { CloseOnExec: true };

    /// <summary>Sets the close-on-exec flag; false when the descriptor is not open.</summary>
    public bool SetCloseOnExec(int fd, bool value)
    {
        if (Get(fd) is not { } file)
        {
            return false;
        }

        slots[fd] = (file, value);
        return true;
    }

    /// <summary>
    /// Gives <paramref name="file"/> (whose reference the caller hands over) the lowest free descriptor at
    /// or above <paramref name="minimum"/>; -EMFILE when none is below <paramref name="limit"/> (the file is released).
    /// </summary>
    public long Allocate(OpenFile file, bool closeOnExec, int minimum = 0, int limit = DefaultLimit)
    {
        int fd = minimum;
        while (fd < slots.Count && slots[fd] is not null)
        {
            fd++;
        }

        if (fd >= limit)
        {
            file.Release();
            return -Errno.EMFILE;
        }

        Install(fd, file, closeOnExec);
        return fd;
    }

    /// <summary>Puts <paramref name="file"/> at <paramref name="fd"/>, closing what was there (dup2, dup3).</summary>
    public void Install(int fd, OpenFile file, bool closeOnExec)
    {
        while (slots.Count <= fd)
        {
            slots.Add(null);
        }

        OpenFile? previous = slots[fd]?.File;
        slots[fd] = (file, closeOnExec);
        previous?.Release();
    }

    /// <summary>Closes a descriptor; false when it was not open.</summary>
    public bool Close(int fd)
    {
        if (Get(fd) is not { } file)
        {
            return false;
        }

        slots[fd] = null;
        file.Release();
        return true;
    }

    /// <summary>A copy for a forked child: the same descriptions, each with one more reference.</summary>
    public FileDescriptorTable Clone()
    {
        var copy = new FileDescriptorTable();
        foreach (var slot in slots)
        {
            slot?.File.AddReference();
            copy.slots.Add(slot);
        }

        return copy;
    }

    /// <summary>Closes every descriptor marked close-on-exec (execve).</summary>
    public void CloseOnExec()
    {
        for (int fd = 0; fd < slots.Count; fd++)
        {
            if (slots[fd] is { CloseOnExec: true })
            {
                Close(fd);
            }
        }
    }

    /// <summary>Closes every descriptor (process exit): pipe ends count themselves out and wake their peers.</summary>
    public void CloseAll()
    {
        for (int fd = 0; fd < slots.Count; fd++)
        {
            Close(fd);
        }
    }
}
