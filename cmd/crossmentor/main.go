// Command crossmentor runs the crossmentorship web application.
//
//	crossmentor [serve [--demo]]   serve the app (the default)
//	crossmentor migrate            apply pending database migrations
//	crossmentor demo               fill an empty database with the demo organisation
//	crossmentor rotate-keys        re-encrypt confidential text under the newest key
//	crossmentor config             print every setting with its default (the README table)
//	crossmentor backup -out DIR    copy the embedded database and its key file
//	crossmentor version            print the version
//	crossmentor help               list the commands and flags (also -h, --help)
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
	if cmd == "help" {
		flags, _ := newFlags(cmd, stderr)
		printUsage(stdout, flags)
		return nil
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
		return fmt.Errorf("unknown command %q (want serve, migrate, demo, rotate-keys, backup, config, version or help)", cmd)
	}
	flags, opts := newFlags(cmd, io.Discard) // a refusal is returned, not printed twice
	flags.Usage = func() {}
	demo, out, size, seed := opts.demo, opts.out, opts.size, opts.seed
	if err := flags.Parse(args); errors.Is(err, flag.ErrHelp) {
		printUsage(stdout, flags)
		return nil
	} else if err != nil {
		return fmt.Errorf("%w (crossmentor help lists the commands and flags)", err)
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
		gc := app.TuneGC(cfg, os.LookupEnv)
		log.Debug("garbage collector", "gogc", gc.Percent, "memory_limit", gc.Limit)
		if *demo {
			log.Info("demo organisation: sign in with password "+app.DemoPassword, "admin", "admin@demo.test",
				"mentor", "mentor@demo.test", "mentee", "mentee@demo.test", "manager", "manager@demo.test")
		}
		return a.Serve(ctx)
	}
	return fmt.Errorf("unknown command %q (want serve, migrate, demo, rotate-keys, backup, config, version or help)", cmd)
}

// options are the values of the commands' flags.
type options struct {
	demo      *bool
	out, size *string
	seed      *uint64
}

// newFlags is the flag set of the commands, with each flag's help.
func newFlags(cmd string, stderr io.Writer) (*flag.FlagSet, options) {
	flags := flag.NewFlagSet(cmd, flag.ContinueOnError)
	flags.SetOutput(stderr)
	return flags, options{
		demo: flags.Bool("demo", false, "with serve: fill an empty database with the demo organisation first"),
		out:  flags.String("out", "", "with backup: an empty folder for the copy"),
		size: flags.String("size", "small", "with demo: small (the demo organisation) or large (20,000 people, for benchmarks)"),
		seed: flags.Uint64("seed", 1, "with demo --size large: the seed of the generator"),
	}
}

// printUsage lists the commands and flags.
func printUsage(w io.Writer, flags *flag.FlagSet) {
	fmt.Fprint(w, `crossmentor runs the crossmentorship web application.

Usage: crossmentor [command] [flags]

Commands:
  serve         serve the app (the default)
  migrate       apply pending database migrations
  demo          fill an empty database with the demo organisation
  rotate-keys   re-encrypt confidential text under the newest key
  config        print every setting with its default
  backup        copy the embedded database and its key file (-out DIR)
  version       print the version
  help          print this list

Flags:
`)
	flags.SetOutput(w)
	flags.PrintDefaults()
	fmt.Fprintf(w, "\nSettings are environment variables (%s…); crossmentor config lists them.\n", app.EnvPrefix)
}
