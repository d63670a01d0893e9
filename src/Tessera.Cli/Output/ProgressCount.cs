using System.Globalization;

namespace Tessera.Cli.Output;

/// <summary>
/// A count that updates in place on stderr while a long operation runs (<c>… 1500 users</c>), and
/// is erased when it ends. Only when stderr is a terminal (<see cref="CliIo.ErrorIsTerminal"/>):
/// in a pipe or a log, stderr keeps its <c>error: CODE: message</c> lines and nothing else.
/// </summary>
internal sealed class ProgressCount : IDisposable
{
    private readonly TextWriter? _error;
    private readonly string _label;
    private int _written;

    public ProgressCount(CliIo io, string label)
    {
        ArgumentNullException.ThrowIfNull(io);
        _error = io.ErrorIsTerminal ? io.Error : null;
        _label = label;
    }

    /// <summary>Shows <paramref name="count"/> in place of the previous count.</summary>
    public void Report(int count)
    {
        if (_error is null)
        {
            return;
        }

        string line = string.Create(CultureInfo.InvariantCulture, $"{_label}: {count}");
        _error.Write('\r' + line.PadRight(_written));
        _error.Flush();
        _written = line.Length;
    }

    /// <summary>Erases the count, so the result that follows starts on a clean line.</summary>
    public void Dispose()
    {
        if (_error is not null && _written > 0)
        {
            _error.Write('\r' + new string(' ', _written) + '\r');
            _error.Flush();
        }
    }
}
