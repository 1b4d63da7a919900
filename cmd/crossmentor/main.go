// Command crossmentor runs the crossmentorship web application.
//
//	crossmentor [serve [--demo]]   serve the app (the default)
//	crossmentor migrate            apply pending database migrations
//	crossmentor demo               fill an empty database with the demo organisation
//	crossmentor rotate-keys        re-encrypt confidential text under the newest key
//	crossmentor config             print every setting with its default (the README table)
//	crossmentor backup -out DIR    copy the embedded database and its key file
//	crossmentor version            print the version
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"
	_ "time/tzdata" // time zones inside the binary, for hosts and images without them

	"gorm.io/gorm"

	"crossmentor/app"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "crossmentor:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	if cmd == "version" {
		fmt.Fprintln(stdout, version)
		return nil
	}
	if cmd == "config" {
		fmt.Fprintln(stdout, "| variable | default | meaning |\n|---|---|---|")
		for _, f := range app.Fields() {
			def := "(empty)"
			if f.Default != "" {
				def = "`" + f.Default + "`"
			}
			fmt.Fprintf(stdout, "| `%s` | %s | %s |\n", f.Env, def, f.Description)
		}
		return nil
	}
	switch cmd {
	case "serve", "migrate", "demo", "rotate-keys", "backup":
	default:
		return fmt.Errorf("unknown command %q (want serve, migrate, demo, rotate-keys, backup, config or version)", cmd)
	}
	flags := flag.NewFlagSet(cmd, flag.ContinueOnError)
	flags.SetOutput(stderr)
	demo := flags.Bool("demo", false, "with serve: fill an empty database with the demo organisation first")
	out := flags.String("out", "", "with backup: an empty folder for the copy")
	size := flags.String("size", "small", "with demo: small (the demo organisation) or large (20,000 people, for benchmarks)")
	seed := flags.Uint64("seed", 1, "with demo --size large: the seed of the generator")
	if err := flags.Parse(args); err != nil {
		return err
	}
	cfg, err := app.LoadConfig(os.LookupEnv)
	if err != nil {
		return fmt.Errorf("configuration: %w", err)
	}
	log := app.NewLogger(cfg, stderr)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var db *gorm.DB
	if cmd == "serve" {
		db, err = app.OpenDatabaseWaiting(ctx, cfg, log, 30*time.Second)
	} else {
		db, err = app.OpenDatabase(cfg, log)
	}
	if err != nil {
		return err
	}
	switch cmd {
	case "migrate":
		if err := app.Migrate(ctx, db); err != nil {
			return app.ExplainKeyError(cfg, err)
		}
		if err := app.CheckKeys(ctx, cfg, db); err != nil {
			return err
		}
		fmt.Fprintln(stdout, "migrations applied")
		return nil
	case "demo":
		if err := app.Migrate(ctx, db); err != nil {
			return app.ExplainKeyError(cfg, err)
		}
		if err := app.CheckKeys(ctx, cfg, db); err != nil {
			return err
		}
		if *size == "large" {
			started := time.Now()
			if err := app.LoadLargeDemo(ctx, db, app.LargeOrganisation(), *seed); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "large organisation loaded in %s; sign in as admin@groot.test with password %s\n",
				time.Since(started).Round(time.Second), app.DemoPassword)
			return nil
		}
		if err := app.LoadDemo(ctx, db); err != nil {
			return err
		}
		fmt.Fprintln(stdout, "demo organisation loaded; sign in as admin@demo.test with password", app.DemoPassword)
		return nil
	case "backup":
		if *out == "" {
			return errors.New("backup: say where with -out <folder>")
		}
		if err := app.Backup(ctx, cfg, db, *out); err != nil {
			return err
		}
		fmt.Fprintln(stdout, "backup written to", *out)
		return nil
	case "rotate-keys":
		keys, err := cfg.KeyRing()
		if err != nil {
			return err
		}
		if err := app.CheckKeys(ctx, cfg, db); err != nil {
			return err
		}
		n, err := app.RotateKeys(ctx, db, keys)
		if err != nil {
			return fmt.Errorf("after %d values: %w", n, err)
		}
		fmt.Fprintf(stdout, "%d values re-encrypted under key %s\n", n, keys.Newest())
		return nil
	case "serve":
		if err := app.PrepareSchema(ctx, cfg, db); err != nil {
			return app.ExplainKeyError(cfg, err)
		}
		if err := app.CheckKeys(ctx, cfg, db); err != nil {
			return err
		}
		if *demo {
			if err := app.LoadDemo(ctx, db); err != nil && !errors.Is(err, app.ErrNotEmpty) {
				return err
			}
		}
		a, err := app.New(cfg, log, db, version)
		if err != nil {
			return err
		}
		return a.Serve(ctx)
	}
	return fmt.Errorf("unknown command %q (want serve, migrate, demo, rotate-keys, backup, config or version)", cmd)
}
