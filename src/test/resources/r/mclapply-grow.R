# mclapply with 7 forked workers that each grow to about 190 MiB in 8 MiB steps, then hold it.
# In a 1 GiB memory cgroup (7 x 190 MiB does not fit) the kernel OOM-kills some workers; the
# master, small, survives, warns that scheduled cores did not deliver, and exits 0.
# Usage: Rscript mclapply-grow.R [STEPS [STEP_SECONDS [HOLD_SECONDS]]]
library(parallel)
args <- as.numeric(commandArgs(trailingOnly = TRUE))
steps <- if (length(args) >= 1) args[1] else 25      # 25 x 7.63 MiB = 191 MiB per worker
pause <- if (length(args) >= 2) args[2] else 0.1
hold  <- if (length(args) >= 3) args[3] else 3

grow <- function(w) {
    chunks <- vector("list", steps)
    for (i in seq_len(steps)) {
        chunks[[i]] <- runif(1e6)                      # 8 MB, every page touched
        Sys.sleep(pause)
    }
    Sys.sleep(hold)                                    # all workers at their peak together
    length(chunks)                                     # a small result: nothing big goes back
}

res <- mclapply(1:7, grow, mc.cores = 7)
failed <- sum(vapply(res, function(r) is.null(r) || inherits(r, "try-error"), logical(1)))
cat("mclapply-grow:", failed, "of 7 workers failed;", 7 - failed, "delivered\n")
cat("mclapply-grow: exiting normally\n")
quit(status = 0)
