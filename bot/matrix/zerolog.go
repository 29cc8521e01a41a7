package matrix

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"

	"github.com/rs/zerolog"
)

// zerologTo returns a zerolog logger (what mautrix logs to) that passes
// its events on to log, with their fields as attributes. mautrix's debug
// lines (every request) stay at debug.
func zerologTo(log *slog.Logger) zerolog.Logger {
	return zerolog.New(&slogWriter{log: log.With(slog.String("component", "mautrix"))}).Level(zerolog.DebugLevel)
}

// slogWriter turns zerolog's JSON events into slog records.
type slogWriter struct{ log *slog.Logger }

func (w *slogWriter) Write(p []byte) (int, error) {
	return w.WriteLevel(zerolog.NoLevel, p)
}

func (w *slogWriter) WriteLevel(level zerolog.Level, p []byte) (int, error) {
	lv := slogLevel(level)
	ctx := context.Background()
	if !w.log.Enabled(ctx, lv) {
		return len(p), nil
	}
	var fields map[string]any
	if err := json.Unmarshal(p, &fields); err != nil {
		w.log.Log(ctx, lv, string(p))
		return len(p), nil
	}
	msg, _ := fields[zerolog.MessageFieldName].(string)
	if msg == "Request canceled" && lv > slog.LevelDebug {
		// A sync cut short at shutdown: not worth a warning.
		if lv = slog.LevelDebug; !w.log.Enabled(ctx, lv) {
			return len(p), nil
		}
	}
	delete(fields, zerolog.MessageFieldName)
	delete(fields, zerolog.LevelFieldName)
	attrs := make([]slog.Attr, 0, len(fields))
	for k, v := range fields {
		if k == zerolog.ErrorFieldName {
			attrs = append(attrs, slog.String("error", fmt.Sprint(v)))
			continue
		}
		attrs = append(attrs, slog.Any(k, v))
	}
	w.log.LogAttrs(ctx, lv, msg, attrs...)
	return len(p), nil
}

func slogLevel(l zerolog.Level) slog.Level {
	switch {
	case l <= zerolog.DebugLevel:
		return slog.LevelDebug
	case l == zerolog.InfoLevel, l == zerolog.NoLevel:
		return slog.LevelInfo
	case l == zerolog.WarnLevel:
		return slog.LevelWarn
	default:
		return slog.LevelError
	}
}
