import { onBeforeUnmount, onMounted, ref, type Ref } from 'vue'

function carriesFiles(ev: DragEvent): boolean {
  return !!ev.dataTransfer && Array.from(ev.dataTransfer.types).includes('Files')
}

/**
 * Makes the whole window a drop target for files while the calling component is mounted:
 * `dragging` is true while files are held over the page (for an overlay), and `onDrop` gets the
 * dropped files. Text or links dragged around the page are left alone.
 */
export function useWindowFileDrop(onDrop: (files: File[]) => void): { dragging: Ref<boolean> } {
  const dragging = ref(false)
  // dragenter/dragleave fire for every child crossed; count them to know when the page is left.
  let depth = 0

  const enter = (ev: DragEvent) => {
    if (!carriesFiles(ev)) return
    ev.preventDefault()
    depth++
    dragging.value = true
  }
  const over = (ev: DragEvent) => {
    if (!carriesFiles(ev)) return
    // Without this the browser would open the file instead of dropping it here.
    ev.preventDefault()
    if (ev.dataTransfer) ev.dataTransfer.dropEffect = 'copy'
    dragging.value = true
  }
  const leave = (ev: DragEvent) => {
    if (!carriesFiles(ev)) return
    depth = Math.max(0, depth - 1)
    if (depth === 0) dragging.value = false
  }
  const drop = (ev: DragEvent) => {
    if (!carriesFiles(ev)) return
    ev.preventDefault()
    depth = 0
    dragging.value = false
    const files = Array.from(ev.dataTransfer?.files ?? [])
    if (files.length) onDrop(files)
  }

  onMounted(() => {
    window.addEventListener('dragenter', enter)
    window.addEventListener('dragover', over)
    window.addEventListener('dragleave', leave)
    window.addEventListener('drop', drop)
  })
  onBeforeUnmount(() => {
    window.removeEventListener('dragenter', enter)
    window.removeEventListener('dragover', over)
    window.removeEventListener('dragleave', leave)
    window.removeEventListener('drop', drop)
  })

  return { dragging }
}
